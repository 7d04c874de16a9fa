/** The `${Name}` placeholders of a state machine definition, each once, sorted. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{(\w+)\}/gu)].map((match) => match[1] ?? ''))].sort();
}
