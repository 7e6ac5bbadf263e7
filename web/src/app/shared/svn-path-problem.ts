import type { MessageKey } from '../i18n/catalog';
import { translate } from '../i18n/i18n-store';

// svnPathProblem (@gantry/svn-path, shared with the server) answers in English; each answer it gives
// today has a text in the catalog. An answer added later stays in English rather than disappearing.
const RULES: readonly [RegExp, MessageKey, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^must not be empty$/, 'shared.svn_path_empty', () => ({})],
  [/^must be at most (\d+) characters$/, 'shared.svn_path_too_long', (m) => ({ max: m[1]! })],
  [/^must not contain control characters$/, 'shared.svn_path_control', () => ({})],
  [/^must not start with "-"$/, 'shared.svn_path_dash', () => ({})],
  [/^must be relative to the project's SVN root, not a URL$/, 'shared.svn_path_url', () => ({})],
  [/^must be relative to the project's SVN root \(no leading "\/"\)$/, 'shared.svn_path_leading_slash', () => ({})],
  [/^a revision must be @ followed by digits or HEAD$/, 'shared.svn_path_revision', () => ({})],
  [/^must not contain "\/\/"$/, 'shared.svn_path_double_slash', () => ({})],
  [/^must not contain "\." or "\.\." segments$/, 'shared.svn_path_dots', () => ({})],
  [/^segment "(.*)" may hold only /s, 'shared.svn_path_segment', (m) => ({ segment: m[1]! })],
];

/**
 * A problem reported by svnPathProblem, in the user's language: the words that follow "SVN path" /
 * "SVN 路径" (e.g. "must not be empty" / "不能为空").
 */
export function svnPathProblemText(problem: string): string {
  for (const [pattern, key, params] of RULES) {
    const m = pattern.exec(problem);
    if (m) return translate(key, params(m));
  }
  return problem;
}
