/** Adyen Management API (v3): API credentials of a merchant account. */
export interface AdyenCredentialState {
  id: string;
  active: boolean;
  allowedOrigins: string[];
}

export interface AdyenManagement {
  getCredential(merchantId: string, id: string): Promise<AdyenCredentialState>;
  updateCredential(
    merchantId: string,
    id: string,
    patch: { active?: boolean; allowedOrigins?: string[] },
  ): Promise<AdyenCredentialState>;
  /** Calls the API with a given key; true when Adyen accepts it (used to prove the old key fails). */
  keyWorks(apiKey: string): Promise<boolean>;
}
