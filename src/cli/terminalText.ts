/**
 * Text quoted from users' files (case names, keys, values) is printed with its control characters
 * shown as escapes, so that a carriage return or an escape sequence cannot rewrite what the
 * terminal shows (a FAIL line painted over as PASS).
 */
function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Every control character escaped, line breaks included: one line of output stays one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/gu, escapeChar);
}

/** Control characters escaped except line breaks, which separate the parts of a message. */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/gu, escapeChar);
}
