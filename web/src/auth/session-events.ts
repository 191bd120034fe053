// A request that met 401 even after a refresh means the session is over (signed out
// elsewhere, disabled, expired); the auth context hears it and sends the user to sign in.
export const SESSION_ENDED = 'kiln:session-ended';

export function endSession(): void {
  window.dispatchEvent(new Event(SESSION_ENDED));
}
