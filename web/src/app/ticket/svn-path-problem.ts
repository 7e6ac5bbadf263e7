import type { MessageKey } from '../i18n/catalog';
import { translate } from '../i18n/i18n-store';

/** The English problems of `svnPathProblem` (@gantry/svn-path) and the catalog texts that say them. */
const KNOWN: Record<string, MessageKey> = {
  'must not be empty': 'ticket.path_empty',
  'must be at most 1024 characters': 'ticket.path_too_long',
  'must not contain control characters': 'ticket.path_control',
  'must not start with "-"': 'ticket.path_dash',
  "must be relative to the project's SVN root, not a URL": 'ticket.path_url',
  'must be relative to the project\'s SVN root (no leading "/")': 'ticket.path_leading_slash',
  'a revision must be @ followed by digits or HEAD': 'ticket.path_revision',
  'must not contain "//"': 'ticket.path_double_slash',
  'must not contain "." or ".." segments': 'ticket.path_dots',
};
const SEGMENT = /^segment "(.*)" may hold only /;

/**
 * What is wrong with an SVN path, in the user's language. The checker is shared with the server and
 * speaks English; a problem this table does not know yet stays in English rather than disappearing.
 */
export function svnPathProblemText(problem: string): string {
  const key = KNOWN[problem];
  if (key) return translate(key);
  const segment = SEGMENT.exec(problem);
  return segment ? translate('ticket.path_segment', { segment: segment[1]! }) : problem;
}
