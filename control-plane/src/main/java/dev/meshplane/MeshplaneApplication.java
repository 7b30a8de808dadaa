package dev.meshplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Meshplane server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MeshplaneApplication {

    public static void main(String[] args) {
        SpringApplication.run(MeshplaneApplication.class, args);
    }
}
