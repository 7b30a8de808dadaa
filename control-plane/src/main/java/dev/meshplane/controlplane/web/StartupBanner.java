package dev.meshplane.controlplane.web;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says, once ready, where the API, the Swagger UI and the database are. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final DataSource dataSource;

    StartupBanner(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        String database;
        try (Connection connection = dataSource.getConnection()) {
            database = connection.getMetaData().getURL();
        } catch (SQLException e) {
            database = "unreachable (" + e.getMessage() + ")";
        }
        log.info("Meshplane ready: App Mesh API http://localhost:{}/v20190125/meshes | Console http://localhost:{}/ui/"
                + " | Swagger UI http://localhost:{}/swagger-ui.html | OpenAPI http://localhost:{}/v3/api-docs | database {}",
                port, port, port, port, database);
    }
}
