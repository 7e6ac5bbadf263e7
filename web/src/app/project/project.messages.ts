// Texts of the project pages in every language (see i18n/messages.ts).
import { defineMessages } from '../i18n/messages';

export const projectMessages = defineMessages(
  'project',
  {
  },
  {
  },
);
