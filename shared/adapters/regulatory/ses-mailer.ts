import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '#ports/regulatory.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';

/** Plain-text mail through SES v2 (the authority address, the compliance officer, escalation). */
export class SesMailer implements Mailer {
  constructor(private readonly ses: SESv2Client) {}

  async send(mail: { from: string; to: string; subject: string; text: string }) {
    try {
      const r = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { messageId: r.MessageId ?? 'unknown' };
    } catch (err) {
      // Network errors (ECONNRESET/ECONNREFUSED after the SDK's own retries) carry no HTTP
      // status and are named plain `Error`; their `code` says what happened. aws-ses-v2-local
      // answers 4xx without an error type, so the SDK names those `Unknown`: the status decides.
      const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      const what = [e.name, e.code, status].filter((x) => x !== undefined).join(' ');
      if (status === undefined || status >= 500 || status === 429)
        throw new RetryableError(`SES SendEmail failed (${what})`);
      throw new NonRetryableError(`SES SendEmail rejected (${what})`);
    }
  }
}
