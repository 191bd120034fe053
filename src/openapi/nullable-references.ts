// @nestjs/swagger writes a nullable property of a class type as
// `{ nullable: true, allOf: [{ $ref }] }`. In OpenAPI 3.0.3 `nullable` adds null to the
// values of its own schema only, and every `allOf` member must hold too, so a strict
// validator refuses the null the property may be: the spec would lie about it. Such a
// property is rewritten as "the referenced schema, or null", which says what Kiln sends.
type Schema = Record<string, unknown>;

/** The schema that allows null and nothing else, as OpenAPI 3.0.3 spells it. */
const NULL_ONLY: Schema = { type: 'object', nullable: true, enum: [null] };

/** Rewrites every nullable single-reference `allOf` in `node`, in place. */
export function allowNullReferences<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(allowNullReferences);
  } else if (node && typeof node === 'object') {
    const schema = node as Schema;
    if (isNullableReference(schema)) {
      schema.anyOf = [...(schema.allOf as Schema[]), { ...NULL_ONLY }];
      delete schema.allOf;
    }
    Object.values(schema).forEach(allowNullReferences);
  }
  return node;
}

function isNullableReference(schema: Schema): boolean {
  const members = schema.allOf;
  return (
    schema.nullable === true &&
    Array.isArray(members) &&
    members.length === 1 &&
    typeof (members[0] as Schema).$ref === 'string'
  );
}
