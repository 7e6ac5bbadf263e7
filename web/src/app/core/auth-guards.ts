import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { SessionStore } from './session-store';

/** Only for signed-in users; others go to sign-in and come back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  try {
    if (await session.ensureLoaded()) return true;
  } catch {
    /* the server could not be asked: the sign-in page says so */
  }
  return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
};

/** Only for admins. */
export const adminGuard: CanActivateFn = async () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const me = await session.ensureLoaded().catch(() => null);
  return me?.user.isAdmin ? true : router.createUrlTree(['/']);
};
