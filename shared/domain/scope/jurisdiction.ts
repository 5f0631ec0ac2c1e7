/** Country / US-state normalisation for scope subjects (ISO 3166-1 alpha-2; USPS state codes). */

const US_STATES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'puerto rico': 'PR',
  guam: 'GU',
  'u.s. virgin islands': 'VI',
  'american samoa': 'AS',
  'northern mariana islands': 'MP',
};
const US_CODES = new Set(Object.values(US_STATES));

let regionNames: Intl.DisplayNames | undefined;
const known = new Map<string, boolean>();

/** Whether a two-letter code is an ISO 3166-1 region the platform's ICU knows. */
function isCountry(code: string): boolean {
  let k = known.get(code);
  if (k === undefined) {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    k = /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined;
    known.set(code, k);
  }
  return k;
}

export function normaliseJurisdiction(
  country: string,
  region: string,
): { country: string | null; region: string | null } {
  let c = country.trim().toUpperCase();
  if (c === 'UK') c = 'GB';
  if (!isCountry(c)) return { country: null, region: null };
  if (c !== 'US') return { country: c, region: null };
  const r = region.trim();
  const code = r.length === 2 ? r.toUpperCase() : US_STATES[r.toLowerCase()];
  return { country: 'US', region: code && US_CODES.has(code) ? code : null };
}
