package com.doordash.pedregal.testservers;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * An Iceberg REST catalog server for tests: Iceberg's REST catalog servlet over the catalog its arguments describe,
 * listening on 127.0.0.1 only.
 *
 * <p>{@code java RestCatalogMain <port> key=value...}: the keys are Iceberg catalog properties of the catalog behind
 * it ({@code catalog-impl}, {@code uri}, {@code warehouse}, {@code io-impl}, {@code s3.endpoint}, ...). Prints
 * {@code REST catalog listening on 127.0.0.1:<port>} once it serves.
 */
public final class RestCatalogMain {
    private RestCatalogMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RestCatalogMain <port> [key=value ...]");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        Map<String, String> properties = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals <= 0) {
                System.err.println("not a key=value property: " + args[i]);
                System.exit(64);
            }
            properties.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        properties.putIfAbsent("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        properties.putIfAbsent("jdbc.schema-version", "V1");
        Catalog catalog = CatalogUtil.buildIcebergCatalog("rest_backend", properties, new Configuration());

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.addServlet(new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(catalog))), "/*");
        Server server = new Server(new InetSocketAddress("127.0.0.1", port));
        server.setHandler(context);
        server.start();
        System.out.println("REST catalog listening on 127.0.0.1:" + port);
        server.join();
    }
}
