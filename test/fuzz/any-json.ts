// Arbitrary JSON values of every type, for "wrong type" and "unknown field" mutations. The
// oracles, not the generator, decide whether the value is wrong where it lands.
import fc from "fast-check";

export const anyJsonValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 6 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
