/**
 * The XML side of Open311 GeoReport v2: the spec's JSON is a programmatic mapping of its XML (the
 * "Spark convention"), so one serialiser turns the JSON values into XML: an object becomes child
 * elements in key order, an array becomes one child per item named after its container
 * (`services` → `service`), null becomes an empty element and booleans `true`/`false`.
 */

export type XmlValue =
  string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

/** The element name of an array's items, by the array's own element name (from the spec's examples). */
export const XML_ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

// Characters XML 1.0 cannot carry at all (control characters other than tab, LF, CR; lone surrogates; U+FFFE/F).
const INVALID_XML_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: XmlValue, indent: string, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === undefined) return;
  if (value === null) {
    out.push(`${indent}<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = XML_ITEM_NAMES[name];
    if (!item) throw new Error(`no item element name for the array <${name}>`);
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value) element(item, v, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const [k, v] of entries) element(k, v, `${indent}  `, out);
    out.push(`${indent}</${name}>`);
    return;
  }
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  out.push(`${indent}<${name}>${escapeXml(text)}</${name}>`);
}

/** A whole document: the XML declaration with UTF-8 (the spec requires it) and one root element. */
export function toXml(root: string, value: XmlValue): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  element(root, value, '', out);
  return `${out.join('\n')}\n`;
}
