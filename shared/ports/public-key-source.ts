/** Public keys by path (Adobe I/O Events: `x-adobe-public-keyN-path`); undefined when unknown. */
export interface PublicKeySource {
  get(path: string): Promise<string | undefined>;
}
