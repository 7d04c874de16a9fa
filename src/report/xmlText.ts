/**
 * The one sanitiser for every XML writer (the audit's and validate-logs' JUnit reports).
 *
 * XML 1.0 (§2.2, `Char`) cannot carry C0 controls other than tab, line feed and carriage return,
 * lone surrogates, or U+FFFE/U+FFFF, not even as character references. They reach us from
 * resource names, S3 keys and API error messages, so they are replaced with U+FFFD rather than
 * allowed to make the whole report unparseable. Escaping `<`, `&` and quotes is the XML
 * builder's job; this only removes what no escaping can carry.
 */

/*
 * With the `u` flag a well-formed surrogate pair is one code point outside the class, so only
 * lone (unpaired) surrogates match \uD800-\uDFFF.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

/** Text content: every character XML 1.0 forbids becomes U+FFFD. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD');
}

/** A single-line attribute value: parsers fold raw newlines to spaces anyway, so do it visibly. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/\s*[\r\n\t]+\s*/g, ' ').trim();
}
