import { taxonomyLeaves, type Taxonomy, type TaxonomyLeafRef } from '@shared/domain/taxonomy';

/**
 * Open311 services from the complaint taxonomy: one service per leaf, `service_code` = the leaf id
 * (`environment.pollution.noise`), `group` = the level-1 name. Every service has the same two
 * attributes (so `metadata` is true): a free-text detail and whether the citizen wants a reply.
 */

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311AttributeValue {
  key: string;
  name: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: Open311AttributeValue[];
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

export const DETAIL_ATTRIBUTE = 'detail';
export const REPLY_ATTRIBUTE = 'reply_required';
export const MAX_DETAIL_LENGTH = 1000;

export const SERVICE_ATTRIBUTES: readonly Open311Attribute[] = [
  {
    variable: true,
    code: DETAIL_ATTRIBUTE,
    datatype: 'text',
    required: false,
    datatype_description: `Free text, at most ${MAX_DETAIL_LENGTH} characters.`,
    order: 1,
    description: '补充说明 / Further details (when it happens, how often, what is affected).',
  },
  {
    variable: true,
    code: REPLY_ATTRIBUTE,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'yes or no; no when not given.',
    order: 2,
    description: '是否需要回复 / Do you want a reply about the outcome?',
    values: [
      { key: 'yes', name: '需要回复 / Yes' },
      { key: 'no', name: '无需回复 / No' },
    ],
  },
];

export class ServiceCatalogue {
  private readonly leaves: TaxonomyLeafRef[];
  private readonly byCode: Map<string, TaxonomyLeafRef>;
  private readonly byPath: Map<string, TaxonomyLeafRef>;

  constructor(taxonomy: Taxonomy) {
    this.leaves = taxonomyLeaves(taxonomy);
    this.byCode = new Map(this.leaves.map((l) => [l.id, l]));
    this.byPath = new Map(this.leaves.map((l) => [l.path, l]));
  }

  list(): Open311Service[] {
    return this.leaves.map((l) => this.service(l));
  }

  leaf(code: string): TaxonomyLeafRef | undefined {
    return this.byCode.get(code);
  }

  /** The leaf of a category path (`环境保护/环境污染/噪音污染`), for requests the core categorised. */
  leafOfPath(path: string): TaxonomyLeafRef | undefined {
    return this.byPath.get(path);
  }

  definition(code: string): Open311ServiceDefinition | undefined {
    if (!this.byCode.has(code)) return undefined;
    return { service_code: code, attributes: SERVICE_ATTRIBUTES.map((a) => ({ ...a })) };
  }

  serviceName(leaf: TaxonomyLeafRef): string {
    return `${leaf.names[2]} (${leaf.pathEn.split(' / ')[2] ?? leaf.id})`;
  }

  private service(l: TaxonomyLeafRef): Open311Service {
    return {
      service_code: l.id,
      service_name: this.serviceName(l),
      description: `${l.path} — ${l.pathEn}`,
      metadata: SERVICE_ATTRIBUTES.length > 0,
      type: 'realtime',
      keywords: l.keywords.join(', '),
      group: l.names[0],
    };
  }
}
