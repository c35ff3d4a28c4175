package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code pedregal} Iceberg catalog every driver, the test cluster and the playground tool use, configured once.
 *
 * <ul>
 *   <li>{@code hadoop} (the embedded default): tables are folders of a warehouse on this machine's disk
 *       ({@code gateway.warehouse-dir}); commits rename files, safe for one machine only;</li>
 *   <li>{@code jdbc}: Iceberg's JDBC catalog, table pointers in a database (PostgreSQL), commits are compare-and-swap
 *       in it: safe across machines;</li>
 *   <li>{@code rest}: the Iceberg REST catalog protocol (Polaris, Unity Catalog, Nessie, Gravitino, Glue, ...).</li>
 * </ul>
 * A warehouse {@code s3://bucket/prefix} is read and written through Iceberg's {@code S3FileIO}, with
 * {@link S3Config}.
 *
 * @param type {@code hadoop}, {@code jdbc} or {@code rest} — key {@code gateway.catalog.type}, default {@code hadoop}
 * @param warehouse the warehouse URI — {@code gateway.catalog.warehouse}; for {@code hadoop} the default is
 *     {@code gateway.warehouse-dir}
 * @param uri the catalog's address: a JDBC URL for {@code jdbc}, an HTTP URL for {@code rest}, null for {@code hadoop}
 *     — {@code gateway.catalog.uri}
 * @param user the JDBC catalog's database user, or null — {@code gateway.catalog.jdbc.user}
 * @param password the JDBC catalog's database password, or null — {@code gateway.catalog.jdbc.password}
 * @param token the bearer token of the REST catalog, or null — {@code gateway.catalog.rest.token}
 * @param credential the OAuth2 client credential {@code client_id:client_secret} of the REST catalog, or null —
 *     {@code gateway.catalog.rest.credential}
 * @param s3 where and how S3 is reached, for {@code s3://} warehouses — {@code gateway.s3.*}
 */
public record CatalogConfig(
        Type type,
        URI warehouse,
        String uri,
        String user,
        String password,
        String token,
        String credential,
        S3Config s3) {
    /** The catalog's name in SQL, in every job and on the test cluster. */
    public static final String NAME = "pedregal";
    private static final String PREFIX = "spark.sql.catalog." + NAME;
    /** What Spark redacts: its default ({@code secret|password|token|access[.]key}) and the REST catalog's credential. */
    static final String REDACTION_REGEX = "(?i)secret|password|token|access[.]key|credential";
    /** Keys whose values are secrets: never logged, never shown (S3A's credential provider is a class name). */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)(?!.*credentials[.]provider$).*(secret|password|token|credential).*");

    /** The kinds of catalog. */
    public enum Type {
        HADOOP, JDBC, REST;

        /** The name in configuration: {@code hadoop}, {@code jdbc}, {@code rest}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CatalogConfig {
        requireNonNull(type, "type is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(s3, "s3 is null");
        if (type != Type.HADOOP && (uri == null || uri.isBlank())) {
            throw new IllegalArgumentException("gateway.catalog.uri: a " + type.configName()
                    + " catalog needs its address (" + (type == Type.JDBC ? "jdbc:postgresql://host:5432/db" : "http://host:8181")
                    + ")");
        }
        if (type == Type.JDBC && !uri.startsWith("jdbc:")) {
            throw new IllegalArgumentException("gateway.catalog.uri: \"" + uri + "\" is not a JDBC URL (expected jdbc:...)");
        }
        if (type == Type.REST && !(uri.startsWith("http://") || uri.startsWith("https://"))) {
            throw new IllegalArgumentException("gateway.catalog.uri: \"" + uri + "\" is not an HTTP URL (expected http(s)://...)");
        }
        if (type == Type.HADOOP && !"file".equals(warehouse.getScheme()) && !isS3(warehouse)) {
            throw new IllegalArgumentException("gateway.catalog.warehouse: \"" + warehouse
                    + "\" is not a file:// or s3:// URI");
        }
    }

    /** Reads the {@code gateway.catalog.*} and {@code gateway.s3.*} keys; {@code warehouseDir} is the hadoop default. */
    public static CatalogConfig from(ConfigProperties properties, Path warehouseDir, Map<String, String> environment) {
        String typeName = properties.string("gateway.catalog.type", "hadoop");
        Type type;
        try {
            type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.catalog.type: \"" + typeName
                    + "\" is not a catalog type (expected hadoop, jdbc or rest)");
        }
        String warehouseText = properties.string("gateway.catalog.warehouse", null);
        URI warehouse;
        if (warehouseText == null) {
            if (type == Type.JDBC) {
                throw new IllegalArgumentException("gateway.catalog.warehouse: a jdbc catalog needs the warehouse its"
                        + " tables are written to (s3://bucket/prefix, or file:///path on storage every machine shares)");
            }
            warehouse = warehouseDir.toAbsolutePath().toUri();
        }
        else {
            warehouse = warehouseUri(warehouseText);
        }
        return new CatalogConfig(type, warehouse,
                properties.string("gateway.catalog.uri", null),
                properties.string("gateway.catalog.jdbc.user", null),
                properties.string("gateway.catalog.jdbc.password", null),
                properties.string("gateway.catalog.rest.token", null),
                properties.string("gateway.catalog.rest.credential", null),
                S3Config.from(properties, environment));
    }

    private static URI warehouseUri(String text) {
        try {
            URI uri = text.startsWith("/") ? Path.of(text).toUri() : URI.create(text);
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("no scheme");
            }
            if (isS3(uri) && (uri.getHost() == null || uri.getHost().isBlank())) {
                throw new IllegalArgumentException("no bucket");
            }
            return uri;
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.catalog.warehouse: \"" + text
                    + "\" is not a warehouse URI (expected s3://bucket/prefix or file:///path)");
        }
    }

    private static boolean isS3(URI uri) {
        return "s3".equals(uri.getScheme()) || "s3a".equals(uri.getScheme());
    }

    /** Whether tables live on S3 (through {@code S3FileIO}). */
    public boolean onS3() {
        return isS3(warehouse);
    }

    /** The warehouse folder on this machine, for a {@code hadoop} catalog on local disk; empty otherwise. */
    public Optional<Path> localWarehouse() {
        return "file".equals(warehouse.getScheme()) ? Optional.of(Path.of(warehouse)) : Optional.empty();
    }

    /** The bucket of an S3 warehouse. */
    public Optional<String> bucket() {
        return onS3() ? Optional.of(warehouse.getHost()) : Optional.empty();
    }

    /**
     * The Spark properties that make {@code pedregal} this catalog in a driver or the test cluster, and S3A reach the same
     * S3 for other paths ({@link S3Config#hadoopConf}); secrets included: they go into the JVM's argument file, never on
     * a command line or into a log; see {@link #isSecret}.
     */
    public Map<String, String> sparkConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(PREFIX, "org.apache.iceberg.spark.SparkCatalog");
        conf.put(PREFIX + ".type", type.configName());
        conf.put(PREFIX + ".warehouse", warehouse.toString());
        switch (type) {
            case HADOOP -> {
            }
            case JDBC -> {
                conf.put(PREFIX + ".uri", uri);
                putIfSet(conf, PREFIX + ".jdbc.user", user);
                putIfSet(conf, PREFIX + ".jdbc.password", password);
                // V1 keeps views beside tables; V0 catalogs created before are upgraded by Iceberg in place.
                conf.put(PREFIX + ".jdbc.schema-version", "V1");
            }
            case REST -> {
                conf.put(PREFIX + ".uri", uri);
                putIfSet(conf, PREFIX + ".token", token);
                putIfSet(conf, PREFIX + ".credential", credential);
            }
        }
        // Spark shows these keys' values as "*********(redacted)" (its UI, SET): its default pattern and the REST
        // catalog's credential.
        conf.put("spark.redaction.regex", REDACTION_REGEX);
        if (onS3()) {
            conf.put(PREFIX + ".io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
            putIfSet(conf, PREFIX + ".s3.endpoint", s3.endpoint() == null ? null : s3.endpoint().toString());
            conf.put(PREFIX + ".s3.path-style-access", Boolean.toString(s3.pathStyleAccess()));
            conf.put(PREFIX + ".client.region", s3.region());
            putIfSet(conf, PREFIX + ".s3.access-key-id", s3.accessKeyId());
            putIfSet(conf, PREFIX + ".s3.secret-access-key", s3.secretAccessKey());
        }
        conf.putAll(s3.hadoopConf());
        return conf;
    }

    private static void putIfSet(Map<String, String> conf, String key, String value) {
        if (value != null && !value.isBlank()) {
            conf.put(key, value);
        }
    }

    /** Whether the value of Spark property {@code key} is a secret, shown as {@code ***} wherever settings are shown. */
    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /** What this catalog is, for logs: no secret. */
    public String describe() {
        return type.configName() + " catalog" + (uri == null ? "" : " at " + redactUri(uri)) + ", warehouse " + warehouse
                + (onS3() && s3.endpoint() != null ? " (S3 endpoint " + s3.endpoint() + ")" : "");
    }

    /** A JDBC URL without a password in its parameters. */
    static String redactUri(String uri) {
        return uri.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "CatalogConfig[" + describe() + "]";
    }
}
