import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '#ports/regulatory.ts';
import { RetryableError } from '#runtime/errors.ts';

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
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === undefined || status >= 500 || status === 429)
        throw new RetryableError(`SES SendEmail failed (${(err as Error).name})`);
      throw err;
    }
  }
}
