package dev.meshplane.controlplane.web;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the gate of {@link GatedDataSource} in front of the DataSource, embedded or external, so that
 * everything that talks to the database (JPA, the change listener, leader election, health) sees
 * the same availability.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseAvailabilityConfiguration {

    @Bean
    DatabaseAvailability databaseAvailability() {
        return new DatabaseAvailability();
    }

    /** Wraps the pool after Spring Boot has bound its settings to it (spring.datasource.hikari.*). */
    @Bean
    static BeanPostProcessor databaseGate(ObjectProvider<DatabaseAvailability> availability) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource pool && !(bean instanceof GatedDataSource)) {
                    return new GatedDataSource(pool, availability.getObject());
                }
                return bean;
            }
        };
    }
}
