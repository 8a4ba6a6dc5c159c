// Placeholder: replaced by the import feature.
export function ImportView() {
  return null;
}
