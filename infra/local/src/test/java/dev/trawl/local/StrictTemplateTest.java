package dev.trawl.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local runtime runs a template as AWS would, or refuses it at start-up: it ignores nothing it does not know. */
class StrictTemplateTest {
    private static final String SAM = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/";

    /** A small template that the local runtime takes; each test breaks one thing of it. */
    private static final String GOOD = """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Seconds: { Type: Number, Default: 20 }
            Globals:
              Function:
                Runtime: java25
                Timeout: 30
            Resources:
              Api:
                Type: AWS::Serverless::HttpApi
                Properties:
                  Auth:
                    DefaultAuthorizer: Keys
                    Authorizers:
                      Keys:
                        FunctionArn: !GetAtt Authorizer.Arn
                        AuthorizerPayloadFormatVersion: "2.0"
                        EnableSimpleResponses: true
                        Identity: { ReauthorizeEvery: 0 }
              Authorizer:
                Type: AWS::Serverless::Function
                Properties: { Handler: a.Authorizer::handleRequest }
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.Handler::handleRequest
                  Timeout: !Ref Seconds
                  Events:
                    Get:
                      Type: HttpApi
                      Properties: { ApiId: !Ref Api, Path: /things, Method: GET }
                    Work:
                      Type: SQS
                      Properties: { Queue: !GetAtt Queue.Arn, BatchSize: 1 }
              Queue:
                Type: AWS::SQS::Queue
                Properties: { VisibilityTimeout: 180 }
            """;

    private static List<String> refusals(String template) {
        return assertThrows(StrictTemplate.Refused.class, () -> Template.parse(template, Map.of())).problems();
    }

    private static String only(List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.getFirst();
    }

    @Test
    void theRepositorysTemplateAndTheTestStacksAreTakenAsWritten() throws Exception {
        Template.parse(Files.readString(LocalStackExtension.template()), Map.of());
        Template.parse(Files.readString(LimitsTest.template()), Map.of());
        Template good = Template.parse(GOOD, Map.of());
        assertEquals(20, good.functions().get("Handler").timeoutSeconds());
        assertEquals(0, good.apiAuthorizers().get("Api").cacheSeconds());
        assertTrue(!good.apiAuthorizers().get("Api").hasIdentitySources());
    }

    @Test
    void aRestApiCachingPropertyUnderAnHttpApiAuthorizerIsRefusedNamingWhereItIsDocumented() {
        String problem = only(refusals(GOOD.replace("EnableSimpleResponses: true",
                "EnableSimpleResponses: true\n            AuthorizerResultTtlInSeconds: 0")));
        assertTrue(problem.startsWith("Resources.Api.Properties.Auth.Authorizers.Keys: AuthorizerResultTtlInSeconds is not "
                + "a property of an HttpApi Lambda authorizer"), problem);
        assertTrue(problem.contains(SAM + "sam-property-httpapi-lambdaauthorizer.html"), problem);
        assertTrue(problem.contains("Identity"), "it names what the place does take: " + problem);
    }

    @Test
    void aTypoIsRefusedRatherThanIgnored() {
        String problem = only(refusals(GOOD.replace("Timeout: !Ref Seconds", "Timout: !Ref Seconds")));
        assertTrue(problem.startsWith("Resources.Handler.Properties: Timout is not a property of an "
                + "AWS::Serverless::Function"), problem);
        assertTrue(problem.contains(SAM + "sam-resource-function.html"), problem);
    }

    @Test
    void aMisplacedPropertyIsRefusedWhereItStands() {
        String problem = only(refusals(GOOD.replace("Properties: { VisibilityTimeout: 180 }",
                "Properties: { VisibilityTimeout: 180, BatchSize: 1 }")));
        assertTrue(problem.startsWith("Resources.Queue.Properties: BatchSize is not a property of an AWS::SQS::Queue"),
                problem);
        assertTrue(problem.contains("https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
                + "aws-resource-sqs-queue.html"), problem);
    }

    @Test
    void resourcesAndEventsTheRuntimeDoesNotWireAreRefused() {
        String topic = only(refusals(GOOD + "  Topic:\n    Type: AWS::SNS::Topic\n"));
        assertTrue(topic.startsWith("Resources.Topic: the local runtime does not wire resources of type AWS::SNS::Topic"),
                topic);
        String event = only(refusals(GOOD.replace("Type: SQS", "Type: SNS")));
        assertTrue(event.startsWith("Resources.Handler.Properties.Events.Work: the local runtime does not wire events of "
                + "type SNS"), event);
        String conditions = only(refusals(GOOD.replace("Parameters:", "Conditions: {}\nParameters:")));
        assertTrue(conditions.startsWith("Conditions is not a property of a template"), conditions);
    }

    @Test
    void valuesAwsRefusesAreRefused() {
        assertTrue(only(refusals(GOOD.replace("Default: 20", "Default: 901"))).startsWith(
                "Resources.Handler.Properties.Timeout: 901 is refused: Lambda's time-out is 1 to 900 seconds"));
        assertTrue(only(refusals(GOOD.replace("Method: GET }", "Method: GET, TimeoutInMillis: 31000 }"))).startsWith(
                "Resources.Handler.Properties.Events.Get.Properties.TimeoutInMillis: 31000 is refused"));
        assertTrue(only(refusals(GOOD.replace("BatchSize: 1", "BatchSize: 50"))).startsWith(
                "Resources.Handler.Properties.Events.Work.Properties.BatchSize: 50 is refused"));
        // API Gateway caches by identity source: a cache without one is refused.
        assertTrue(only(refusals(GOOD.replace("ReauthorizeEvery: 0", "ReauthorizeEvery: 300"))).startsWith(
                "Resources.Api.Properties.Auth.Authorizers.Keys.Identity: ReauthorizeEvery above 0"));
        Template.parse(GOOD.replace("{ ReauthorizeEvery: 0 }", "{ ReauthorizeEvery: 300, Headers: [Authorization] }"),
                Map.of());
    }

    @Test
    void whatTheRuntimeDoesNotImplementIsRefusedToo() {
        assertTrue(only(refusals(GOOD.replace("EnableSimpleResponses: true", "EnableSimpleResponses: false")))
                .contains("simple responses only"));
        assertTrue(only(refusals(GOOD.replace("\"2.0\"", "\"1.0\""))).contains("\"2.0\" only"));
        assertTrue(only(refusals(GOOD.replace("ApiId: !Ref Api, ", ""))).contains("implicit API"));
        // the local KMS makes symmetric keys only: an asymmetric one is refused, not made symmetric
        String key = "\n  Key:\n    Type: AWS::KMS::Key\n    Properties: { EnableKeyRotation: true%s }\n";
        assertTrue(Template.parse(GOOD + key.formatted(""), Map.of()).keys().contains("Key"));
        assertTrue(only(refusals(GOOD + key.formatted(", KeySpec: RSA_2048"))).contains("KeySpec"));
    }

    @Test
    void everyProblemIsListedAtOnce() {
        List<String> problems = refusals(GOOD.replace("Timeout: !Ref Seconds", "Timout: !Ref Seconds")
                .replace("VisibilityTimeout: 180", "VisibilityTimout: 180"));
        assertEquals(2, problems.size(), problems.toString());
    }
}
