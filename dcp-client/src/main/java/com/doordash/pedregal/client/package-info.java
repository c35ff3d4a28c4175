/**
 * The Java client of the DCP Spark REST API.
 *
 * <p>{@link com.doordash.pedregal.client.DCPSparkClient} submits, follows, lists and cancels jobs; the
 * request classes ({@link com.doordash.pedregal.client.SubmitJobRequest} and its parts) are immutable and
 * built with builders that check each value as it is set; failures are
 * {@link com.doordash.pedregal.client.DCPClientException}s named after what went wrong.
 *
 * <pre>{@code
 * DCPSparkClient client = new DCPSparkClient("http://localhost:8080");
 * SubmitJobRequest request = SubmitJobRequest.builder()
 *     .name("my-etl-job").team("data-infra").user("user@doordash.com")
 *     .config(SparkJobConfig.builder()
 *         .sparkVersion("3.5").jobType("BATCH")
 *         .coreEtl(CoreETLConfig.builder().version("2.7.0").jobSpec(jobSpecJson).build())
 *         .build())
 *     .build();
 * SubmitJobResponse response = client.submitJob(request);
 * }</pre>
 */
package com.doordash.pedregal.client;
