// Placeholder: replaced by the contact feature.
export function ContactView() {
  return null;
}
