// Evaluates CRD validation rules (x-kubernetes-validations) with Buf's CEL implementation, as the API server would:
// `self` is typed by the rule's schema (integer fields are CEL ints, number fields doubles, objects maps) after the
// schema's defaults are applied. Usage: node evaluate.mjs <cases.json>, where the file holds
// [{"rule": "...", "schema": {...}, "self": ...}, ...]; prints a JSON array with, per case, {"result": true|false}
// or {"error": "..."} (a rule that does not parse, or does not evaluate to a bool).
import { readFileSync } from "node:fs";
import { parse, run } from "@bufbuild/cel";

function typed(value, schema) {
  if (value === null || value === undefined || schema === undefined) {
    return untyped(value);
  }
  if (schema["x-kubernetes-int-or-string"]) {
    return typeof value === "number" ? BigInt(value) : value;
  }
  switch (schema.type) {
    case "integer":
      return BigInt(value);
    case "number":
      return Number(value);
    case "array":
      return value.map((item) => typed(item, schema.items));
    case "object": {
      const map = new Map();
      const properties = schema.properties ?? {};
      for (const [key, property] of Object.entries(properties)) {
        if (!(key in value) && property.default !== undefined) {
          map.set(key, typed(property.default, property));
        }
      }
      for (const [key, item] of Object.entries(value)) {
        const property = properties[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
        map.set(key, typed(item, property));
      }
      return map;
    }
    default:
      return value;
  }
}

// Values the schema says nothing about (metadata, preserved unknown fields): whole numbers become ints.
function untyped(value) {
  if (Array.isArray(value)) {
    return value.map(untyped);
  }
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([key, item]) => [key, untyped(item)]));
  }
  return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
}

function evaluate({ rule, schema, self }) {
  try {
    parse(rule);
    const result = run(rule, { self: typed(self, schema) });
    if (result instanceof Error) {
      return { error: result.message };
    }
    return typeof result === "boolean" ? { result } : { error: `evaluates to ${String(result)}, not a bool` };
  } catch (error) {
    return { error: error.message };
  }
}

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
process.stdout.write(JSON.stringify(cases.map(evaluate)));
