import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '#adapters/regulatory/ses-mailer.ts';
import {
  article33Content,
  supplementaryKey,
  supplementOwed,
} from '#domain/regulatory-workflow/phased.ts';

const ses = mockClient(SESv2Client);
const mail = {
  from: 'regulatory@acme-pay.example',
  to: 'breach@authority.example',
  subject: '[GDPR-33 notification] Acme',
  text: 'body',
};

describe('SesMailer error classification', () => {
  beforeEach(() => ses.reset());

  it('sends plain text to one address and returns the message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const r = await new SesMailer(new SESv2Client({ region: 'eu-central-1' })).send(mail);
    expect(r.messageId).toBe('m-1');
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: mail.from,
      Destination: { ToAddresses: [mail.to] },
    });
  });

  it('a network error (no HTTP status, plain Error with a code) is retryable and names the code', async () => {
    const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    ses.on(SendEmailCommand).rejects(err);
    const p = new SesMailer(new SESv2Client({ region: 'eu-central-1' })).send(mail);
    await expect(p).rejects.toMatchObject({
      name: 'RetryableError',
      message: 'SES SendEmail failed (Error ECONNRESET)',
    });
  });

  it('5xx and 429 are retryable; other 4xx (aws-ses-v2-local names them Unknown) are not', async () => {
    const http = (status: number, name: string) =>
      new SESv2ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });
    const m = new SesMailer(new SESv2Client({ region: 'eu-central-1' }));
    ses.reset();
    ses.on(SendEmailCommand).rejects(http(503, 'ServiceUnavailable'));
    await expect(m.send(mail)).rejects.toMatchObject({ name: 'RetryableError' });
    ses.reset();
    ses.on(SendEmailCommand).rejects(http(429, 'TooManyRequestsException'));
    await expect(m.send(mail)).rejects.toMatchObject({ name: 'RetryableError' });
    ses.reset();
    ses.on(SendEmailCommand).rejects(http(400, 'Unknown'));
    await expect(m.send(mail)).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: 'SES SendEmail rejected (Unknown 400)',
    });
  });
});

describe('GDPR 33(4) phased content', () => {
  const notice = (consequences: string, tx = 260) =>
    [
      '[GDPR-33 notification] Acme',
      'Approximate number of data subjects [33(3)(a)-number-subjects]: 1500',
      `Likely consequences [33(3)(c)]: ${consequences}`,
      `Previous submission [previous]: none`,
      `Texas residents [other]: ${tx}`,
    ].join('\n');

  it('owes a supplement only when Art. 33(3) lines change', () => {
    expect(article33Content(notice('x'))).toHaveLength(2);
    expect(supplementOwed(notice('[to be completed]'), notice('phishing risk'))).toBe(true);
    expect(supplementOwed(notice('phishing risk', 260), notice('phishing risk', 270))).toBe(false);
    expect(supplementOwed('no gdpr content', notice('x'))).toBe(false);
    expect(supplementaryKey('GDPR-33', 'supervisory-authority', 'abc')).toBe(
      'GDPR-33#supplementary#supervisory-authority#abc',
    );
  });
});
