// Input contracts for users (admins create and change them).
import { z } from 'zod';
import { displayNameField, passwordField, usernameField } from '../validation/fields.ts';

export const createUserBody = z
  .object({ username: usernameField, displayName: displayNameField.optional(), password: passwordField, isAdmin: z.boolean().default(false) })
  .strict();
export const updateUserBody = z
  .object({ displayName: displayNameField.optional(), password: passwordField.optional(), isAdmin: z.boolean().optional(), disabled: z.boolean().optional() })
  .strict();
