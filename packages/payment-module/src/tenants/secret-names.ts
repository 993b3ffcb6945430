/** Option names that hold a secret by their look: `webhookSecrets`, `apiKey`, `antiPhishingKey`, `token`… */
const SECRET_NAME = /secret|key|token|passw|credential|private/i;

/** True when an option with this name must be stored encrypted, as a secret, never as a plain option. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}
