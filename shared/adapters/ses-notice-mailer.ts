import {
  CreateEmailTemplateCommand,
  GetEmailTemplateCommand,
  type GetEmailTemplateCommandOutput,
  type SESv2Client,
  SendBulkEmailCommand,
  type SendBulkEmailCommandOutput,
} from '@aws-sdk/client-sesv2';
import { type CustomerTemplate, sesTemplateName } from '#domain/notify/templates.ts';
import type { BulkMailer, BulkResult, NoticeTemplateStore } from '#ports/notify.ts';
import { NonRetryableError, RetryableError, SesThrottledError } from '#runtime/errors.ts';

/**
 * SES v2 adapter for customer notices: templates (one SES template per version, created once and
 * never overwritten) and SendBulkEmail. Error mapping works on SES and on aws-ses-v2-local, whose
 * SDK errors are named `Unknown`: the HTTP status decides (429 → throttled, 4xx → rejected,
 * 5xx → retryable), plus SES's own names (TooManyRequestsException, LimitExceededException…).
 */

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLE_NAMES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'Throttling',
  'ThrottlingException',
  'SendingPausedException',
]);
const THROTTLE_STATUSES = new Set([
  'ACCOUNT_THROTTLED',
  'ACCOUNT_DAILY_QUOTA_EXCEEDED',
  'ACCOUNT_SENDING_PAUSED',
  'CONFIGURATION_SET_SENDING_PAUSED',
  'TRANSIENT_FAILURE',
]);

function mapError(op: string, err: unknown): Error {
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLE_NAMES.has(e.name ?? '') || status === 429)
    return new SesThrottledError(`${op}: SES throttled (HTTP ${status ?? '?'})`);
  if (status !== undefined && status >= 500)
    return new RetryableError(`SES rejected ${op}: HTTP ${status}`);
  if (status !== undefined && status >= 400)
    return new NonRetryableError(`SES rejected ${op}: HTTP ${status} (${e.name ?? 'error'})`);
  return err as Error;
}

export class SesNoticeTemplates implements NoticeTemplateStore {
  constructor(private readonly ses: SESv2Client) {}

  async ensure(t: CustomerTemplate): Promise<'created' | 'exists'> {
    const TemplateName = sesTemplateName(t);
    const TemplateContent = { Subject: t.subject, Text: t.text, Html: t.html };
    try {
      await this.ses.send(new CreateEmailTemplateCommand({ TemplateName, TemplateContent }));
      return 'created';
    } catch (err) {
      const e = err as SdkError;
      const exists = e.name === 'AlreadyExistsException' || e.$metadata?.httpStatusCode === 400;
      if (!exists) throw mapError('CreateEmailTemplate', err);
    }
    // A version is immutable: an existing template must carry exactly this content.
    let got: GetEmailTemplateCommandOutput;
    try {
      got = await this.ses.send(new GetEmailTemplateCommand({ TemplateName }));
    } catch (err) {
      throw mapError('GetEmailTemplate', err);
    }
    const c = got.TemplateContent ?? {};
    if (c.Subject !== t.subject || c.Text !== t.text || c.Html !== t.html)
      throw new NonRetryableError(
        `SES template ${TemplateName} exists with different content: bump the template version`,
      );
    return 'exists';
  }
}

export class SesBulkMailer implements BulkMailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly configurationSet?: string,
  ) {}

  async sendBulk(input: Parameters<BulkMailer['sendBulk']>[0]): Promise<BulkResult[]> {
    if (input.entries.length === 0) return [];
    if (input.entries.length > 50)
      throw new NonRetryableError('SendBulkEmail takes at most 50 entries');
    let res: SendBulkEmailCommandOutput;
    try {
      res = await this.ses.send(
        new SendBulkEmailCommand({
          FromEmailAddress: input.from,
          DefaultContent: {
            Template: {
              TemplateName: input.templateName,
              TemplateData: JSON.stringify(input.defaultData),
            },
          },
          DefaultEmailTags: Object.entries(input.tags).map(([Name, Value]) => ({ Name, Value })),
          BulkEmailEntries: input.entries.map((e) => ({
            Destination: { ToAddresses: [e.to] },
            ReplacementEmailContent: {
              ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(e.data) },
            },
          })),
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      );
    } catch (err) {
      throw mapError('SendBulkEmail', err);
    }
    const results = res.BulkEmailEntryResults ?? [];
    return input.entries.map((e, i): BulkResult => {
      const r = results[i];
      if (!r) return { ref: e.ref, status: 'failed', reason: 'NO_RESULT' };
      if (r.Status === 'SUCCESS')
        return { ref: e.ref, status: 'sent', ...(r.MessageId ? { messageId: r.MessageId } : {}) };
      if (THROTTLE_STATUSES.has(r.Status ?? ''))
        return { ref: e.ref, status: 'throttled', reason: r.Status };
      return { ref: e.ref, status: 'failed', reason: r.Status ?? 'FAILED' };
    });
  }
}
