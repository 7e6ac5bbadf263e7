// Every feature's texts, merged into one table per language.
import { adminMessages } from '../admin/admin.messages';
import { appMessages } from '../app.messages';
import { authMessages } from '../auth/auth.messages';
import { errorMessages } from '../core/errors.messages';
import { newTicketMessages } from '../new-ticket/new-ticket.messages';
import { projectMessages } from '../project/project.messages';
import { sharedMessages } from '../shared/shared.messages';
import { ticketMessages } from '../ticket/ticket.messages';
import { ticketsMessages } from '../tickets/tickets.messages';
import { waitingMessages } from '../waiting/waiting.messages';
import type { Locale } from './messages';

const FEATURES = [
  appMessages, errorMessages, sharedMessages, authMessages, waitingMessages, ticketsMessages, ticketMessages, newTicketMessages,
  projectMessages, adminMessages,
] as const;

type Feature = (typeof FEATURES)[number];
type KeysOf<T> = T extends { en: infer E } ? keyof E & string : never;
/** Every text key of the app; a template asking for another one does not compile. */
export type MessageKey = KeysOf<Feature>;

function merge(locale: Locale): Readonly<Record<MessageKey, string>> {
  const out: Record<string, string> = {};
  for (const feature of FEATURES) Object.assign(out, feature[locale]);
  return out as Record<MessageKey, string>;
}

/** The texts of each language. */
export const CATALOG: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en: merge('en'), 'zh-CN': merge('zh-CN') };
