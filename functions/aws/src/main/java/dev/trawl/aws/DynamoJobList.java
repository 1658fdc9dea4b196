package dev.trawl.aws;

import dev.trawl.core.job.Job;
import dev.trawl.core.job.JobStatus;
import dev.trawl.core.port.JobStore.JobPage;
import dev.trawl.core.port.JobStore.JobQuery;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.trawl.aws.DynamoTable.s;

/**
 * A page of a tenant's jobs, newest first: a reverse Query of the tenant's partition, or of one status partition per
 * status asked for, merged. A name filter may skip most of what a page reads, so each partition is read up to a
 * budget, and the page stops where the partition read least far.
 */
final class DynamoJobList {
    /** Items a filtered list page may read from one partition before it answers with what it has. */
    static final int READ_BUDGET = 500;

    private final DynamoTable table;
    private final int readBudget;

    DynamoJobList(DynamoTable table, int readBudget) {
        this.table = table;
        this.readBudget = readBudget;
    }

    JobPage list(String tenant, JobQuery query) {
        int want = query.limit() + 1;
        List<Job> found = new ArrayList<>();
        String floor = null;
        if (query.statuses() == null) {
            Partition read = read(DynamoTable.allJobs(tenant), query, want);
            found.addAll(read.jobs());
            floor = read.frontier();
        } else {
            for (JobStatus status : query.statuses()) {
                Partition read = read(DynamoTable.jobsIn(tenant, status), query, want);
                found.addAll(read.jobs());
                if (read.frontier() != null && (floor == null || read.frontier().compareTo(floor) > 0)) {
                    floor = read.frontier();
                }
            }
        }
        found.sort(Comparator.comparing(Job::id).reversed());
        if (floor != null) {
            String bound = floor;
            // Below a partition's frontier (its last job read) nothing is known yet: the page stops there and the
            // cursor resumes below it.
            found.removeIf(job -> job.id().compareTo(bound) < 0);
        }
        if (found.size() > query.limit()) {
            List<Job> page = List.copyOf(found.subList(0, query.limit()));
            return new JobPage(page, page.getLast().id());
        }
        return new JobPage(List.copyOf(found), floor);
    }

    /** Matching jobs of one partition, and where reading stopped when the read budget ran out first. */
    private record Partition(List<Job> jobs, String frontier) {
    }

    private Partition read(DynamoTable.JobRange range, JobQuery query, int want) {
        String pk = range.partitionAttribute();
        String sk = range.sortAttribute();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", range.partition());
        String condition;
        if (query.beforeId() != null) {
            condition = pk + " = :p AND " + sk + " < :before";
            values.put(":before", range.sortKey(query.beforeId()));
        } else if (!range.sortPrefix().isEmpty()) {
            condition = pk + " = :p AND begins_with(" + sk + ", :prefix)";
            values.put(":prefix", s(range.sortPrefix()));
        } else {
            condition = pk + " = :p";
        }
        String filter = null;
        Map<String, String> names = null;
        if (query.namePrefix() != null) {
            filter = "begins_with(#name, :name)";
            names = Map.of("#name", "name");
            values.put(":name", s(query.namePrefix()));
        }
        List<Job> jobs = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int read = 0;
        while (true) {
            QueryRequest.Builder request = QueryRequest.builder().indexName(range.index())
                    .keyConditionExpression(condition).filterExpression(filter)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(false).limit(Math.min(readBudget - read, Math.max(want - jobs.size(), 10)))
                    // an index cannot be read consistently; the table can
                    .consistentRead(range.index() == null ? Boolean.TRUE : null)
                    .exclusiveStartKey(start);
            DynamoTable.Page page = table.queryPage(request);
            read += page.scanned();
            page.items().forEach(item -> jobs.add(DynamoTable.toJob(item)));
            start = page.next();
            if (start == null || jobs.size() >= want) {
                return new Partition(jobs, null);
            }
            if (read >= readBudget) {
                return new Partition(jobs, range.jobId(start));
            }
        }
    }
}
