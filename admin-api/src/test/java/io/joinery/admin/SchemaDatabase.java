package io.joinery.admin;

import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.check.ConsistencyChecker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * A test class's own database, created from a schema script before its tests and dropped after
 * them, with the consistency checker that reads its catalog:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final SchemaDatabase schema = new SchemaDatabase("CREATE TABLE author (id int PRIMARY KEY);");
 * ... schema.checker().check(metadata) ...
 * </pre>
 */
public final class SchemaDatabase implements BeforeAllCallback, AfterAllCallback {

    private final String script;
    private TestDatabase db;
    private final ConsistencyChecker checker = new ConsistencyChecker(source -> CatalogReader.read(db.pool(), source), List.of());

    public SchemaDatabase(String script) {
        this.script = script;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = TestDatabase.create();
        db.execute(script);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (db != null) {
            db.close();
        }
    }

    public TestDatabase db() {
        return db;
    }

    /** The built-in checks, reading this database's catalog for every source. */
    public ConsistencyChecker checker() {
        return checker;
    }
}
