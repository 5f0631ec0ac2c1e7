import type { ReportInput } from '#domain/report/model.ts';
import {
  chainEntry,
  type TimelineEntry,
  type TimelineEntryDraft,
  verifyChain,
} from '#domain/timeline.ts';

/** A synthetic incident with planted personal data, to prove the renderers never show it. */
export const PLANTED = [
  'jane.doe@example.com',
  '4242 4242 4242 4242',
  '+44 20 7946 0958',
  'Jane Doe',
  'sk_test_abcdef123456',
];

export function fixtureReport(over: Partial<ReportInput> = {}): ReportInput {
  const id = 'INC-20260301-abcd1234';
  const drafts: TimelineEntryDraft[] = [
    {
      type: 'alert.received',
      at: '2026-03-01T10:00:05.000Z',
      actor: 'triage-alert',
      summary: 'stripe payment.early-fraud-warning',
      data: { alertId: 'stripe:evt_1' },
    },
    {
      type: 'incident.declared',
      at: '2026-03-01T10:00:06.000Z',
      actor: 'triage-alert',
      summary: 'pii-breach P1 <script>alert(1)</script>',
    },
    {
      type: 'incident.classified',
      at: '2026-03-01T10:00:30.000Z',
      actor: 'triage-alert',
      summary: 'classified pii-breach for jane.doe@example.com',
    },
    {
      type: 'obligation.scheduled',
      at: '2026-03-01T10:01:00.000Z',
      actor: 'regulatory-clock',
      summary: 'GDPR art33',
      data: {
        regime: 'GDPR',
        report: 'art33-notification',
        recipient: 'supervisory-authority',
        due: '2026-03-04T10:00:06.000Z',
        clockStart: '2026-03-01T10:00:06.000Z',
      },
    },
    {
      type: 'approval.requested',
      at: '2026-03-01T10:02:00.000Z',
      actor: 'respond',
      summary: 'magento.block-admin-exports awaits approval',
    },
    {
      type: 'approval.granted',
      at: '2026-03-01T10:07:00.000Z',
      actor: 'approver:ops-lead',
      summary: 'approved',
    },
    {
      type: 'containment.executed',
      at: '2026-03-01T10:08:00.000Z',
      actor: 'execute-containment',
      summary: 'magento.block-admin-exports executed',
    },
    {
      type: 'containment.failed',
      at: '2026-03-01T10:09:00.000Z',
      actor: 'execute-containment',
      summary: 'magento.revoke-integration-tokens failed',
    },
    {
      type: 'containment.completed',
      at: '2026-03-01T10:12:00.000Z',
      actor: 'close-containment',
      summary: 'containment complete',
    },
    {
      type: 'notification.drafted',
      at: '2026-03-01T11:00:00.000Z',
      actor: 'regulatory-clock',
      summary: 'GDPR art33 drafted',
      data: { regime: 'GDPR', report: 'art33-notification', audience: 'regulator' },
    },
    {
      type: 'notification.sent',
      at: '2026-03-02T09:00:00.000Z',
      actor: 'regulatory-clock',
      summary: 'GDPR art33 sent',
      data: { regime: 'GDPR', report: 'art33-notification', recipient: 'supervisory-authority' },
    },
  ];
  const timeline: TimelineEntry[] = [];
  for (const d of drafts) timeline.push(chainEntry(id, timeline.at(-1), d));
  return {
    incident: {
      incidentId: id,
      status: 'contained',
      classification: 'pii-breach',
      severity: 'P1',
      playbook: 'pii-breach',
      openedAt: '2026-03-01T10:00:06.000Z',
      updatedAt: '2026-03-01T10:12:00.000Z',
      drill: true,
    },
    alerts: [
      {
        alertId: 'stripe:evt_1',
        source: 'stripe',
        kind: 'payment.early-fraud-warning',
        receivedAt: '2026-03-01T10:00:05.000Z',
        occurredAt: '2026-03-01T09:59:00.000Z',
        severityHint: 'high',
      },
    ],
    actions: [
      {
        action: 'magento.block-admin-exports',
        status: 'executed',
        preState: {
          ruleIds: ['r1'],
          email: 'jane.doe@example.com',
          note: 'card 4242 4242 4242 4242',
        },
        release: { restoredRules: 1 },
        updatedAt: '2026-03-01T10:08:00.000Z',
      },
      {
        action: 'magento.revoke-integration-tokens',
        status: 'failed',
        preState: { tokens: ['tok_1'], customer_name: 'Jane Doe', contact: '+44 20 7946 0958' },
        updatedAt: '2026-03-01T10:09:00.000Z',
      },
    ],
    timeline,
    verification: verifyChain(timeline),
    obligations: [
      {
        regime: 'GDPR',
        report: 'art33-notification',
        recipient: 'supervisory-authority',
        due: '2026-03-04T10:00:06.000Z',
        clockStart: '2026-03-01T10:00:06.000Z',
        status: 'sent',
        sentAt: '2026-03-02T09:00:00.000Z',
      },
      {
        regime: 'DORA',
        report: 'initial',
        recipient: 'competent-authority',
        due: '2026-03-01T14:00:06.000Z',
        clockStart: '2026-03-01T10:00:06.000Z',
        status: 'pending',
      },
    ],
    generatedAt: '2026-03-02T12:00:00.000Z',
    ...over,
  };
}
