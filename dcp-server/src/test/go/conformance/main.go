// Command conformance drives the seed prototype's Go REST client (client-examples/dcp-rest-client, unchanged)
// against a running platform, as that client's users would, and prints what it saw as one JSON object.
// PrototypeConformanceTest builds it next to a copy of the client and checks the output against REST.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	dcpclient "github.com/doordash/spark-platform-docker-images/client-examples/dcp-rest-client"
)

type report struct {
	Submitted       *dcpclient.SubmitJobResponse `json:"submitted"`
	Final           *dcpclient.JobStatus         `json:"final"`
	Logs            *dcpclient.JobLogs           `json:"logs"`
	SleeperSubmit   *dcpclient.SubmitJobResponse `json:"sleeper_submitted"`
	CancelError     string                       `json:"cancel_error"`
	AfterCancel     *dcpclient.JobStatus         `json:"after_cancel"`
	StreamingError  string                       `json:"streaming_error"`
	UnknownJobError string                       `json:"unknown_job_error"`
}

func main() {
	url := flag.String("url", "", "the platform's REST URL")
	jar := flag.String("jar", "", "the jar holding QueryMain")
	name := flag.String("name", "go-client", "job name prefix")
	flag.Parse()

	// The token comes from the environment, not the command line, where other users of the machine could read it.
	client := dcpclient.NewClient(*url, dcpclient.WithAuthToken(os.Getenv("DCP_TOKEN")), dcpclient.WithTimeout(2*time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var out report

	// A custom-jar job whose executors scale dynamically, set where the client's ExecutorConfig puts it; the
	// driver resources are left out, so the client sends their zero values. The job prints its Spark settings.
	submitted, err := client.SubmitJob(ctx, &dcpclient.SubmitJobRequest{
		Name: *name + "-dynamic",
		Team: "data-infra",
		User: "user@doordash.com",
		Config: dcpclient.SparkJobConfig{
			SparkVersion: "3.5",
			JobType:      "BATCH",
			CustomJar: &dcpclient.CustomJarConfig{
				JarPath:   *jar,
				MainClass: "com.doordash.pedregal.coreetl.QueryMain",
				Args: []string{
					"SET spark.dynamicAllocation.enabled",
					"SET spark.dynamicAllocation.minExecutors",
					"SET spark.dynamicAllocation.maxExecutors",
				},
			},
			Resources: dcpclient.ResourceConfig{
				Executor: dcpclient.ExecutorConfig{
					Instances:         1,
					Cores:             1,
					Memory:            "1g",
					DynamicAllocation: true,
					MinExecutors:      1,
					MaxExecutors:      3,
				},
			},
		},
	})
	fail(err)
	out.Submitted = submitted
	out.Final, err = client.WaitForCompletion(ctx, submitted.JobID, 250*time.Millisecond)
	fail(err)
	out.Logs, err = client.GetJobLogs(ctx, submitted.JobID)
	fail(err)

	// A CoreETL job that would run for two minutes, cancelled.
	spec, _ := json.Marshal(map[string]interface{}{
		"sources":         []map[string]interface{}{{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}},
		"transformations": []map[string]interface{}{{"type": "sql", "query": "SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept FROM source"}},
		"sinks":           []map[string]interface{}{{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "go_sleeper", "mode": "append"}},
	})
	out.SleeperSubmit, err = client.SubmitJob(ctx, &dcpclient.SubmitJobRequest{
		Name: *name + "-sleeper",
		Team: "data-infra",
		User: "user@doordash.com",
		Config: dcpclient.SparkJobConfig{
			SparkVersion: "3.5",
			JobType:      "BATCH",
			CoreETL:      &dcpclient.CoreETLConfig{Version: "2.7.0", JobSpec: spec},
			Resources: dcpclient.ResourceConfig{
				Driver:   dcpclient.DriverConfig{Cores: 1, Memory: "1g"},
				Executor: dcpclient.ExecutorConfig{Instances: 1, Cores: 1, Memory: "1g"},
			},
		},
	})
	fail(err)
	if err := client.CancelJob(ctx, out.SleeperSubmit.JobID); err != nil {
		out.CancelError = err.Error()
	}
	out.AfterCancel, err = client.GetJobStatus(ctx, out.SleeperSubmit.JobID)
	fail(err)

	// The client's streaming example, as printed: a Kafka source the platform does not read.
	_, err = client.SubmitJob(ctx, &dcpclient.SubmitJobRequest{
		Name: *name + "-streaming",
		Team: "data-infra",
		User: "user@doordash.com",
		Config: dcpclient.SparkJobConfig{
			SparkVersion: "3.5",
			JobType:      "STREAMING",
			CoreETL:      &dcpclient.CoreETLConfig{Version: "2.7.0", JobSpec: spec},
			Resources: dcpclient.ResourceConfig{
				Executor: dcpclient.ExecutorConfig{Instances: 3, Cores: 4, Memory: "8g", DynamicAllocation: true, MinExecutors: 2, MaxExecutors: 10},
			},
		},
	})
	if err != nil {
		out.StreamingError = err.Error()
	}
	if _, err := client.GetJobStatus(ctx, "no-such-job"); err != nil {
		out.UnknownJobError = err.Error()
	}

	encoded, _ := json.Marshal(out)
	fmt.Println(string(encoded))
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(1)
	}
}
