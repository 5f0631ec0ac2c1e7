/** Stripe containment levers (API level). Each call is idempotent on the gateway side. */
export interface WebhookEndpointState {
  id: string;
  url: string;
  status: 'enabled' | 'disabled';
}
export interface PaymentIntentState {
  id: string;
  status: string;
  customer?: string | null;
}

export interface StripeContainment {
  listWebhookEndpoints(): Promise<WebhookEndpointState[]>;
  setWebhookEndpointDisabled(id: string, disabled: boolean): Promise<WebhookEndpointState>;
  listPaymentIntents(filter: { customer?: string }): Promise<PaymentIntentState[]>;
  getPaymentIntent(id: string): Promise<PaymentIntentState>;
  cancelPaymentIntent(id: string, reason: 'fraudulent'): Promise<PaymentIntentState>;
  addValueListItem(valueList: string, value: string): Promise<{ id: string }>;
  listValueListItems(valueList: string): Promise<Array<{ id: string; value: string }>>;
  deleteValueListItem(id: string): Promise<void>;
}
