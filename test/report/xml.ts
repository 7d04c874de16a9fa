/**
 * Reads an XML report back into a small tree with xmlbuilder2's DOM parser, so tests assert on
 * what a consumer would see (entities decoded), not on the text the formatter happened to write.
 */
import { create } from 'xmlbuilder2';

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text of the element's own text and CDATA nodes. */
  readonly text: string;
}

/** The slice of the DOM interface used here (the project compiles without the DOM lib). */
interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly attributes?: ArrayLike<{ readonly name: string; readonly value: string }>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

function toTree(node: DomNode): XmlElement {
  const attrs: Record<string, string> = {};
  const list = node.attributes;
  if (list) {
    for (let i = 0; i < list.length; i += 1) {
      const attr = list[i];
      if (attr) {
        attrs[attr.name] = attr.value;
      }
    }
  }
  const children: XmlElement[] = [];
  let text = '';
  for (let i = 0; i < node.childNodes.length; i += 1) {
    const child = node.childNodes[i];
    if (!child) {
      continue;
    }
    if (child.nodeType === ELEMENT_NODE) {
      children.push(toTree(child));
    } else if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_NODE) {
      text += child.nodeValue ?? '';
    }
  }
  return { name: node.nodeName, attrs, children, text };
}

export function parseXml(xml: string): XmlElement {
  return toTree(create(xml).root().node as unknown as DomNode);
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
