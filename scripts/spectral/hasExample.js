// Prism answers with a response's examples and the docs show them, so a body without an
// example would make the mock invent data and leave readers guessing.
export default function hasExample(mediaType) {
  const named = Object.keys(mediaType?.examples ?? {}).length;
  if (mediaType?.example === undefined && named === 0) {
    return [{ message: "response body has no example" }];
  }
  return [];
}
