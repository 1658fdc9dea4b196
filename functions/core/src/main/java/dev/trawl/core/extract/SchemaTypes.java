package dev.trawl.core.extract;

import java.util.Locale;
import java.util.Set;

/** Which schema.org types are a page's subject and which are its furniture, for JSON-LD and microdata alike. */
final class SchemaTypes {
    /**
     * Types that describe the site or the way to the page rather than what the page is about: their {@code name} is the
     * shop's or the breadcrumb's, so they are searched only after the meta tags.
     */
    private static final Set<String> AUXILIARY = Set.of("breadcrumblist", "listitem", "organization", "corporation",
            "website", "webpage", "itempage", "collectionpage", "searchaction", "sitenavigationelement", "wpheader",
            "wpfooter", "wpsidebar", "brand", "imageobject");

    private SchemaTypes() {
    }

    /** {@code Product} from {@code Product}, {@code schema:Product} or {@code https://schema.org/Product}. */
    static String simpleName(String type) {
        String trimmed = type.trim();
        int cut = Math.max(trimmed.lastIndexOf('/'), Math.max(trimmed.lastIndexOf('#'), trimmed.lastIndexOf(':')));
        return trimmed.substring(cut + 1);
    }

    static boolean isAuxiliary(String type) {
        return AUXILIARY.contains(simpleName(type).toLowerCase(Locale.ROOT));
    }

    /** Product and its kinds ({@code IndividualProduct}, {@code ProductGroup}, {@code ProductModel}). */
    static boolean isProduct(String type) {
        String name = simpleName(type).toLowerCase(Locale.ROOT);
        return name.endsWith("product") || name.equals("productgroup") || name.equals("productmodel");
    }
}
