// The API's rule for a new password (libs/core PASSWORD_MIN_LENGTH/MAX_LENGTH, IsPassword), checked
// here as the person types so that a short one is said before anything is sent.
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
export const PASSWORD_RULE = `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`;

/** What is wrong with a new password, in the server's words; undefined when it would be taken. */
export function passwordProblem(password: string): string | undefined {
  // characters as people count them (code points after NFC), as the server counts them
  const length = [...password.normalize('NFC')].length;
  return length < PASSWORD_MIN || length > PASSWORD_MAX ? PASSWORD_RULE : undefined;
}
