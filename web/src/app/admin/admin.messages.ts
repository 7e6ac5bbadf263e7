// Texts of the admin pages in every language (see i18n/messages.ts).
import { defineMessages } from '../i18n/messages';

export const adminMessages = defineMessages(
  'admin',
  {
  },
  {
  },
);
