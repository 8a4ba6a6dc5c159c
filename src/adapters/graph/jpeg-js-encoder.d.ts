/** Types of jpeg-js's encoder entry (`module.exports = encode`), imported alone to keep the decoder out of the pane. */
declare module "jpeg-js/lib/encoder" {
  const encode: typeof import("jpeg-js").encode;
  export default encode;
}
