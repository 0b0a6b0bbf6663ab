/** Emails are stored and compared trimmed and lower-cased: uniqueness and sign-in are case-insensitive by construction. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
