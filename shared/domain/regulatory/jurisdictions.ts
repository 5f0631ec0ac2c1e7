/** Jurisdiction data used by the rules (membership lists and authority names; no calendars). */

/** EU member states plus Iceland, Liechtenstein and Norway (GDPR applies EEA-wide). */
export const EEA_STATE_CODES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
] as const;
export const EEA_STATES: ReadonlySet<string> = new Set(EEA_STATE_CODES);

export const EU_STATES: ReadonlySet<string> = new Set(
  [...EEA_STATES].filter((c) => c !== 'IS' && c !== 'LI' && c !== 'NO'),
);

/** Data-protection supervisory authorities by Member State (recipientName only). */
const DATA_PROTECTION_AUTHORITIES: Readonly<Record<string, string>> = {
  AT: 'Datenschutzbehörde (DSB)',
  BE: 'Autorité de protection des données / Gegevensbeschermingsautoriteit',
  BG: 'Commission for Personal Data Protection (CPDP)',
  HR: 'Agencija za zaštitu osobnih podataka (AZOP)',
  CY: 'Commissioner for Personal Data Protection',
  CZ: 'Úřad pro ochranu osobních údajů (ÚOOÚ)',
  DK: 'Datatilsynet',
  EE: 'Andmekaitse Inspektsioon (AKI)',
  FI: 'Tietosuojavaltuutetun toimisto',
  FR: 'CNIL',
  DE: 'Competent German supervisory authority (Land DPA / BfDI)',
  GR: 'Hellenic Data Protection Authority (HDPA)',
  HU: 'NAIH',
  IE: 'Data Protection Commission (DPC)',
  IT: 'Garante per la protezione dei dati personali',
  LV: 'Datu valsts inspekcija (DVI)',
  LT: 'Valstybinė duomenų apsaugos inspekcija (VDAI)',
  LU: 'CNPD (Luxembourg)',
  MT: 'Information and Data Protection Commissioner (IDPC)',
  NL: 'Autoriteit Persoonsgegevens (AP)',
  PL: 'UODO',
  PT: 'CNPD (Portugal)',
  RO: 'ANSPDCP',
  SK: 'Úrad na ochranu osobných údajov SR',
  SI: 'Informacijski pooblaščenec (IP)',
  ES: 'AEPD',
  SE: 'Integritetsskyddsmyndigheten (IMY)',
  IS: 'Persónuvernd',
  LI: 'Datenschutzstelle (DSS)',
  NO: 'Datatilsynet (Norway)',
};

export function dataProtectionAuthority(state: string): string {
  return DATA_PROTECTION_AUTHORITIES[state] ?? `Supervisory authority of ${state}`;
}

export const US_STATE_NAMES: Readonly<Record<string, string>> = {
  CA: 'California',
  CO: 'Colorado',
  FL: 'Florida',
  TX: 'Texas',
  WA: 'Washington',
};
