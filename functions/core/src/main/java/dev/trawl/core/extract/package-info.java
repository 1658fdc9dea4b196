/**
 * Extraction: the {@code extract} of a job, turned into each ok row's {@code data}.
 *
 * <p>{@link dev.trawl.core.extract.Extraction#parse} validates a client's map of field name to spec;
 * {@link dev.trawl.core.extract.Extractor#extract} applies it to one response body. The rules, in one place:
 * <ul>
 * <li><b>Forms.</b> A type word ({@code "string"}, {@code "number"}, {@code "integer"}, {@code "boolean"}) finds the
 * field by its name; {@code {"css", "attr", "all", "type"}} selects in HTML; {@code {"json", "all", "type"}} points
 * into a JSON body; {@code {"regex", "group", "all", "type"}} searches the decoded body text. {@code type} defaults to
 * string, {@code all} to false, {@code group} to 1 when the pattern has a group and 0 otherwise.</li>
 * <li><b>Kinds of body.</b> JSON by a JSON media type or a first non-blank byte of <code>{</code> or {@code [};
 * binary (images, audio, video, fonts, archives, PDF) is never parsed; everything else is HTML. css and type words
 * read HTML, json and type words read JSON, regex reads any body's text.</li>
 * <li><b>Type words on HTML</b>, matched without case, underscores or hyphens ({@code image_url} = {@code imageUrl}):
 * JSON-LD main entities (a Product first, searched breadth-first, so {@code price} finds {@code offers.price}, or
 * {@code offers.lowPrice}); microdata; meta tags ({@code og:f}, {@code product:f}, {@code product:f:amount},
 * {@code og:f:amount}, {@code <meta name=f>}, {@code twitter:f}); then breadcrumbs, organization, website and brand;
 * for {@code title} at last the {@code <title>}. The first value that coerces wins.</li>
 * <li><b>Type words on JSON</b>: the shallowest key of that name, breadth-first; a top-level key first.</li>
 * <li><b>Coercion</b> as {@link dev.trawl.core.extract.Coercion} describes: the first number in a text, prices in
 * either decimal convention, yes/no and schema.org availability as booleans, text trimmed and collapsed.</li>
 * <li><b>Nulls.</b> A field not found, not coercible, of the wrong kind of body, or whose regex ran out of its
 * 50 ms is null; nothing a body holds makes extraction throw. A list ({@code all}) is an array, empty when nothing
 * matched, with null for an item that does not coerce; at most 1,000 items. Text is cut at 64 Ki characters.</li>
 * <li><b>Charset</b>: a byte-order mark, else the Content-Type's {@code charset}, else for HTML its
 * {@code <meta charset>} or http-equiv, else UTF-8.</li>
 * </ul>
 */
package dev.trawl.core.extract;
