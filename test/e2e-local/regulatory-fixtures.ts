/** Shared fixtures of the regulator-workflow tests (profile, facts updates, runtime helpers). */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRegulatoryStore } from '#adapters/regulatory/dynamo-regulatory-store.ts';
import type { LocalRuntime } from '#local/runtime.ts';

export const PROFILE = {
  entity: {
    name: 'Acme Pay Europe GmbH',
    kinds: ['e-money-institution'],
    country: 'DE',
    timezone: 'Europe/Berlin',
    competentAuthority: 'BaFin',
    gdpr: { mainEstablishment: 'DE', leadAuthority: 'BlnBDI' },
  },
  contacts: {
    sender: 'regulatory@acme-pay.example',
    complianceOfficer: 'compliance@acme-pay.example',
    escalation: 'ciso-office@acme-pay.example',
    contactPoint: 'Data Protection Officer, dpo@acme-pay.example',
    authorities: {
      'DORA-19/financial-supervisor': 'incidents@bafin.example',
      'GDPR-33/supervisory-authority': 'breach@datenschutz-berlin.example',
      'state-attorney-general': 'databreach@oag.texas.example',
      '*': 'regulators@acme-pay.example',
    },
  },
};

export const SCOPE = {
  subjects: [
    { country: 'DE', count: 1200 },
    { country: 'FR', count: 300 },
    { country: 'US', region: 'CA', count: 650 },
    { country: 'US', region: 'TX', count: 260 },
  ],
  dataCategories: ['contact', 'postal-address', 'order-history'],
  facts: {
    riskToIndividuals: 'risk',
    summary: 'A Magento admin account exported the customer grid from an unknown IP address.',
    dora: {
      criticalServicesAffected: true,
      maliciousUnauthorisedAccess: true,
      dataLosses: ['confidentiality'],
      ictRelated: true,
    },
  },
};

export const CONTEXT = { 'tourniquet:regulatoryProfile': PROFILE };

export function regulatoryStore(rt: LocalRuntime) {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: rt.awsConfig().region,
      endpoint: rt.endpoints.dynamodb,
      credentials: rt.awsConfig().credentials,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return new DynamoRegulatoryStore(doc, rt.functionEnv('regulatory-plan').REGULATORY_TABLE!);
}

/** Publishes on the responder's bus through the real SDK, as triage / scope assessment do. */
export async function publish(
  rt: LocalRuntime,
  detailType: string,
  detail: Record<string, unknown>,
) {
  const eb = new EventBridgeClient({
    region: rt.awsConfig().region,
    endpoint: rt.endpoints.eventbridge,
    credentials: rt.awsConfig().credentials,
  });
  await eb.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'tourniquet',
          Source: 'tourniquet.test',
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  eb.destroy();
}

export function incidentDetail(incidentId: string) {
  return {
    incidentId,
    classification: 'pii-breach',
    severity: 'P1',
    playbook: 'pii-breach',
    alertId: 'a-1',
    // production path: notices go to the authorities (a drill case never does; see drill tests)
    drill: false,
  };
}

export function sfn(rt: LocalRuntime) {
  return new SFNClient({
    region: rt.awsConfig().region,
    endpoint: rt.endpoints.sfn,
    credentials: rt.awsConfig().credentials,
  });
}

export async function approve(
  rt: LocalRuntime,
  token: string,
  approver = 'Compliance Officer',
  reason = 'content checked',
) {
  await sfn(rt).send(
    new SendTaskSuccessCommand({
      taskToken: token,
      output: JSON.stringify({ approved: true, approver, reason }),
    }),
  );
}

export async function reject(
  rt: LocalRuntime,
  token: string,
  approver = 'Compliance Officer',
  reason = 'numbers wrong',
) {
  await sfn(rt).send(
    new SendTaskFailureCommand({
      taskToken: token,
      error: 'ApprovalRejectedError',
      cause: JSON.stringify({ approved: false, approver, reason }),
    }),
  );
}

/** Polls until `probe` returns a value (real time; the workflow itself runs on virtual time). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function regulatoryTokens(rt: LocalRuntime) {
  return rt.runner.pendingTokens().filter((t) => t.executionArn.includes(':regulatory-clock:'));
}

export async function sesStore(
  rt: LocalRuntime,
): Promise<Array<{ destination: { to: string[] }; subject: string; body: { text?: string } }>> {
  const r = await fetch(`${rt.endpoints.sesv2}/store`);
  const j = (await r.json()) as {
    emails: Array<{ destination: { to: string[] }; subject: string; body: { text?: string } }>;
  };
  return j.emails;
}

/**
 * aws-ses-v2-local keeps its mail in a module singleton shared by every server in the process,
 * so a runtime started after another one would see the earlier runtime's mail: start empty.
 */
export async function clearSes(rt: LocalRuntime) {
  const r = await fetch(`${rt.endpoints.sesv2}/clear-store`, { method: 'POST' });
  if (!r.ok) throw new Error(`SES stand-in clear-store: HTTP ${r.status}`);
}

/**
 * Ends every regulatory-clock execution: rejects each approval request as it appears (a send
 * may plan a follow-up whose request comes after the last look), until none is running.
 */
export async function drain(rt: LocalRuntime, ms = 20_000) {
  await waitFor(
    async () => {
      for (const t of regulatoryTokens(rt)) await reject(rt, t.token).catch(() => undefined);
      return [...rt.runner.executions.values()].every(
        (e) => e.stateMachine !== 'regulatory-clock' || e.status !== 'RUNNING',
      );
    },
    'regulatory executions to end',
    ms,
  );
  await rt.idle();
}
