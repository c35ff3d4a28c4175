package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How drivers, the test cluster and the server reach S3 (or an S3-compatible store): for {@code s3://} warehouses
 * (Iceberg's {@code S3FileIO}) and for {@code s3a://} and {@code s3://} paths of other data (Hadoop's S3A, see
 * {@link #hadoopConf}). Credentials come from configuration or the server's environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}); without them, the drivers' AWS SDK finds its own (instance profile, web identity).
 *
 * @param endpoint the S3 endpoint, or null for AWS's own — key {@code gateway.s3.endpoint}
 * @param region the region — {@code gateway.s3.region}, default {@code us-east-1}
 * @param pathStyleAccess {@code http://endpoint/bucket/key} instead of {@code http://bucket.endpoint/key} (most
 *     S3-compatible servers) — {@code gateway.s3.path-style-access}, default {@code false}
 * @param accessKeyId the access key id, or null — {@code gateway.s3.access-key-id}, else {@code AWS_ACCESS_KEY_ID}
 * @param secretAccessKey the secret access key, or null — {@code gateway.s3.secret-access-key}, else
 *     {@code AWS_SECRET_ACCESS_KEY}
 */
public record S3Config(URI endpoint, String region, boolean pathStyleAccess, String accessKeyId, String secretAccessKey) {
    private static final String HADOOP_S3A = "spark.hadoop.fs.s3a.";

    public S3Config {
        requireNonNull(region, "region is null");
        if (endpoint != null && (endpoint.getHost() == null
                || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
            throw new IllegalArgumentException("gateway.s3.endpoint: \"" + endpoint
                    + "\" is not an HTTP URL (expected http(s)://host:port)");
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("gateway.s3.access-key-id and gateway.s3.secret-access-key: set both or"
                    + " neither");
        }
    }

    /** Reads the {@code gateway.s3.*} keys, with the AWS variables of {@code environment} as fallback. */
    public static S3Config from(ConfigProperties properties, Map<String, String> environment) {
        String endpoint = properties.string("gateway.s3.endpoint", null);
        URI uri;
        try {
            uri = endpoint == null ? null : URI.create(endpoint);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.s3.endpoint: \"" + endpoint
                    + "\" is not an HTTP URL (expected http(s)://host:port)");
        }
        return new S3Config(uri,
                properties.string("gateway.s3.region", "us-east-1"),
                properties.bool("gateway.s3.path-style-access", false),
                properties.string("gateway.s3.access-key-id", environment.get("AWS_ACCESS_KEY_ID")),
                properties.string("gateway.s3.secret-access-key", environment.get("AWS_SECRET_ACCESS_KEY")));
    }

    /**
     * The Spark properties that point Hadoop's S3A file system at this S3, for {@code s3a://} paths of other than
     * Iceberg tables (files a custom jar reads) — and {@code s3://} paths too, as on EMR. The secret key is among them:
     * it goes where the catalog's secrets go (see {@link CatalogConfig#sparkConf}). Without credentials, S3A's own chain
     * finds them (environment, instance profile, web identity).
     */
    public Map<String, String> hadoopConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(HADOOP_S3A + "impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        conf.put("spark.hadoop.fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        if (endpoint != null) {
            conf.put(HADOOP_S3A + "endpoint", endpoint.toString());
            conf.put(HADOOP_S3A + "connection.ssl.enabled", Boolean.toString("https".equals(endpoint.getScheme())));
        }
        conf.put(HADOOP_S3A + "endpoint.region", region);
        conf.put(HADOOP_S3A + "path.style.access", Boolean.toString(pathStyleAccess));
        if (accessKeyId != null) {
            conf.put(HADOOP_S3A + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            conf.put(HADOOP_S3A + "access.key", accessKeyId);
            conf.put(HADOOP_S3A + "secret.key", secretAccessKey);
        }
        return conf;
    }

    @Override
    public String toString() {
        return "S3Config[endpoint=" + endpoint + ", region=" + region + ", pathStyleAccess=" + pathStyleAccess
                + ", accessKeyId=" + (accessKeyId == null ? null : "***") + ", secretAccessKey="
                + (secretAccessKey == null ? null : "***") + "]";
    }
}
