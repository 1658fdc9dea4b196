package dev.trawl.local.iam;

/** Who a set of credentials speaks for on the local stack. */
public sealed interface Principal {
    /** The ARN IAM names in a denial. */
    String arn();

    boolean allows(AccessRequest request);

    /** The runtime itself and the tests' own clients: what an administrator may do. */
    record Administrator() implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + Arns.ACCOUNT + ":root";
        }

        @Override
        public boolean allows(AccessRequest request) {
            return true;
        }
    }

    /** A function of the template, running as its role with the policies the template gives it. */
    record FunctionRole(String function, Policy policy) implements Principal {
        @Override
        public String arn() {
            return Arns.functionSession(function);
        }

        @Override
        public boolean allows(AccessRequest request) {
            return policy.allows(request);
        }
    }

    /** A client's role assumed through STS: what the client granted it, as the local STS was told. */
    record AssumedRole(String roleArn, String session, Policy policy) implements Principal {
        @Override
        public String arn() {
            String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
            String account = roleArn.split(":")[4];
            return "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session;
        }

        @Override
        public boolean allows(AccessRequest request) {
            return policy.allows(request);
        }
    }
}
