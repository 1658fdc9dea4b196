package dev.trawl.local.iam;

/** The ARNs of the local stack's resources, in the one account and region it pretends to be. */
public final class Arns {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";

    private Arns() {
    }

    public static String table(String name) {
        return "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name;
    }

    public static String index(String table, String index) {
        return table(table) + "/index/" + index;
    }

    public static String bucket(String name) {
        return "arn:aws:s3:::" + name;
    }

    public static String object(String bucket, String key) {
        return bucket(bucket) + "/" + key;
    }

    public static String queue(String name) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    /** A KMS key by id or ARN (an ARN is kept as given). */
    public static String key(String keyId) {
        return keyId.startsWith("arn:") ? keyId : "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
    }

    /** The role a function runs as; {@code sessionOf} is the principal IAM names in a denial. */
    public static String functionRole(String function) {
        return "arn:aws:iam::" + ACCOUNT + ":role/trawl-local-" + function + "Role";
    }

    public static String functionSession(String function) {
        return "arn:aws:sts::" + ACCOUNT + ":assumed-role/trawl-local-" + function + "Role/" + function;
    }
}
