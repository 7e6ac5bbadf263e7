// Input contracts for signing in and for the caller's own settings.
import { z } from 'zod';

export const signInBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
/** The interface languages; null: follow the browser. */
export const LOCALES = ['en', 'zh-CN'] as const;
export const updateMeBody = z.object({ locale: z.enum(LOCALES).nullable() }).strict();
