import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * The default logger. Secrets and card data never reach it by construction (nothing logs a raw body
 * or an option object), and these paths are redacted as a second line of defence.
 */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino({
    name: 'tender',
    level: options.level ?? process.env.TENDER_LOG_LEVEL ?? 'info',
    redact: {
      paths: [
        '*.apiKey',
        '*.webhookSecret',
        '*.webhookSecrets',
        '*.secret',
        '*.secrets',
        'headers.authorization',
        'headers["stripe-signature"]',
        'headers["x-signature"]',
      ],
      censor: '[redacted]',
    },
  });
}
