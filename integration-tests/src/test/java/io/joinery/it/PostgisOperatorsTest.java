package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostGIS columns as Hasura serves them: {@code geometry} and {@code geography} as GeoJSON in and out, the
 * {@code _st_*} operators (with {@code {distance, from, use_spheroid}}), the casts between geometry and
 * geography, raster's {@code _st_intersects_*}, and a permission that uses {@code _st_d_within} with
 * session variables. Needs PostGIS: tag {@code postgis}, run by integration-tests' profile {@code postgis}.
 */
@Tag("postgis")
class PostgisOperatorsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("postgis", "/it/schema-postgis.sql", "/it/metadata-postgis.yaml");

    private static final String LONG_CRS = "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4326\"}}";

    @Test
    void geometryAndGeographyColumnsAreGeoJsonWithTheirCrs() {
        GraphqlResponse response = served.sidecar().client().query("{ place(where: {id: {_eq: 3}}) { shape spot } }");
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"place": [{"shape": {"type": "Polygon", "crs": %s, "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]},
                            "spot": {"type": "Point", "crs": %s, "coordinates": [0.5, 0.5]}}]}""".formatted(LONG_CRS, LONG_CRS)),
                response.data(), response.toString());
    }

    @Test
    void geometryOperatorsTakeGeoJsonFromVariablesAndLiterals() {
        Map<String, Object> point = point(0.5, 0.5);
        assertEquals(List.of(2L, 3L), placeIds("{_st_contains: $v}", "geometry", point));
        assertEquals(List.of(1L, 3L), placeIds("{_st_within: $v}", "geometry", polygon(-0.5, -0.5, 1.5, 1.5)), "the origin and the unit square");
        assertEquals(List.of(2L), placeIds("{_st_crosses: $v}", "geometry", line(0, 2, 2, 0)));
        assertEquals(List.of(2L, 3L, 5L), placeIds("{_st_intersects: $v}", "geometry", line(0, 2, 2, 0)));
        assertEquals(List.of(3L, 5L), placeIds("{_st_touches: $v}", "geometry", line(1, 1, 3, 3)), "the unit square and the crossing line meet its end");
        assertEquals(List.of(2L), placeIds("{_st_overlaps: $v}", "geometry", line(1, 1, 3, 3)));
        assertEquals(List.of(1L), placeIds("{_st_equals: $v}", "geometry", point(0, 0)));
        assertEquals(List.of(1L), placeIds("{_eq: $v}", "geometry", point(0, 0)), "_eq also reads GeoJSON");
        assertEquals(List.of(1L, 3L), placeIds("{_in: $v}", "[geometry!]", List.of(point(0, 0), polygon(0, 0, 1, 1))));
        assertEquals(List.of(2L), placeIds("{_st_d_within: {distance: 0.5, from: $v}}", "geometry!", point(1.4, 1.4)));
        assertEquals(sql("SELECT id FROM place WHERE ST_Within(shape, ST_GeomFromText('POLYGON((-0.5 -0.5, -0.5 2, 2 2, 2 -0.5, -0.5 -0.5))', 4326)) ORDER BY id"),
                ids(served.sidecar().client().query("""
                        { place(where: {shape: {_st_within: {type: "Polygon", crs: {type: "name", properties: {name: "EPSG:4326"}},
                          coordinates: [[[-0.5, -0.5], [-0.5, 2], [2, 2], [2, -0.5], [-0.5, -0.5]]]}}}, order_by: {id: asc}) { id } }"""), "place"),
                "a GeoJSON literal in the query, and the same condition in SQL");
    }

    @Test
    void geographyDistanceWithAndWithoutTheSpheroidAndTheCastsBetweenTheTwo() {
        Map<String, Object> london = point(-0.1275, 51.507222);
        GraphqlResponse response = served.sidecar().client().query("""
                query ($p: geography!, $g: geometry!) {
                  spheroid: place(where: {spot: {_st_d_within: {distance: 400000, from: $p}}}, order_by: {id: asc}) { id }
                  sphere: place(where: {spot: {_st_d_within: {distance: 400000, from: $p, use_spheroid: false}}}, order_by: {id: asc}) { id }
                  near: place(where: {spot: {_st_d_within: {distance: 1000, from: $p}}}, order_by: {id: asc}) { id }
                  asGeography: place(where: {shape: {_cast: {geography: {_st_d_within: {distance: 400000, from: $p}}}}}, order_by: {id: asc}) { id }
                  asGeometry: place(where: {spot: {_cast: {geometry: {_st_within: $g}}}}, order_by: {id: asc}) { id }
                }""", Map.of("p", london, "g", polygon(-0.5, -0.5, 1.5, 1.5)));
        assertTrue(response.errors().isMissingNode(), response.toString());
        assertEquals(List.of(6L, 7L), ids(response, "spheroid"), "London and Paris are about 344 km apart");
        assertEquals(List.of(6L, 7L), ids(response, "sphere"));
        assertEquals(List.of(6L), ids(response, "near"));
        assertEquals(List.of(6L, 7L), ids(response, "asGeography"), "the geometry column compared as geography, in metres");
        assertEquals(List.of(1L, 3L), ids(response, "asGeometry"));
    }

    @Test
    void threeDimensionalOperators() {
        GraphqlResponse response = served.sidecar().client().query("""
                query ($p: geometry!, $top: geometry!) {
                  within: solid(where: {shape: {_st_3d_d_within: {distance: 5, from: $p}}}) { id }
                  meets: solid(where: {shape: {_st_3d_intersects: $top}}) { id }
                }""", Map.of("p", Map.of("type", "Point", "coordinates", List.of(0, 0, 3)),
                "top", Map.of("type", "Point", "coordinates", List.of(0, 0, 10))));
        assertTrue(response.errors().isMissingNode(), response.toString());
        assertEquals(List.of(1L), ids(response, "within"), "3 units away, the other one 7");
        assertEquals(List.of(2L), ids(response, "meets"));
    }

    @Test
    void rasterOperators() {
        String firstTile = sql("SELECT rast::text FROM tile WHERE id = 1", String.class);
        GraphqlResponse response = served.sidecar().client().query("""
                query ($r: raster!, $inFirst: geometry!, $inSecond: geometry!) {
                  rast: tile(where: {rast: {_st_intersects_rast: $r}}) { id }
                  geomBand: tile(where: {rast: {_st_intersects_geom_nband: {geommin: $inFirst}}}) { id }
                  bandGeom: tile(where: {rast: {_st_intersects_nband_geom: {nband: 1, geommin: $inSecond}}}) { id }
                }""", Map.of("r", firstTile, "inFirst", point(0.5, 0.5), "inSecond", point(5.5, 5.5)));
        assertTrue(response.errors().isMissingNode(), response.toString());
        assertEquals(List.of(1L), ids(response, "rast"));
        assertEquals(List.of(1L), ids(response, "geomBand"));
        assertEquals(List.of(2L), ids(response, "bandGeom"));
    }

    @Test
    void aRasterThatIsNotHexIsParseFailedBeforeAnySqlAsInHasura() {
        GraphqlResponse response = served.sidecar().client().query(
                "query ($r: raster) { tile(where: {rast: {_st_intersects_rast: $r}}) { id } }", Map.of("r", "not a raster"));
        assertEquals("parse-failed", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
    }

    @Test
    void aPermissionWithinADistanceGivenBySessionVariables() {
        GraphqlClient near = served.sidecar().client().withHeaders(Map.of("x-joinery-role", "near",
                "x-joinery-distance", "1", "x-joinery-from", JsonTrees.write(JsonTrees.tree(point(0, 0)))));
        assertEquals(List.of(1L, 2L, 3L), ids(near.query("{ place(order_by: {id: asc}) { id } }"), "place"),
                "the crossing line is sqrt(2) away from the origin");
        GraphqlClient farther = near.withHeaders(Map.of("x-joinery-distance", "1.5"));
        assertEquals(List.of(1L, 2L, 3L, 5L), ids(farther.query("{ place(order_by: {id: asc}) { id } }"), "place"));
        GraphqlClient square = served.sidecar().client().withHeaders(Map.of("x-joinery-role", "square"));
        assertEquals(List.of(1L, 3L), ids(square.query("{ place(order_by: {id: asc}) { id } }"), "place"), "a GeoJSON literal in the filter");
    }

    @Test
    void aSpatialOperatorOnATextColumnIsRefused() {
        GraphqlResponse answer = served.sidecar().client().query("{ place(where: {name: {_st_within: \"x\"}}) { id } }");
        assertEquals("validation-failed", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
    }

    private static List<Long> placeIds(String condition, String type, Object value) {
        GraphqlResponse response = served.sidecar().client().query(
                "query ($v: " + type + ") { place(where: {shape: " + condition + "}, order_by: {id: asc}) { id } }", Map.of("v", value));
        return ids(response, "place");
    }

    private static List<Long> ids(GraphqlResponse response, String field) {
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<Long> ids = new ArrayList<>();
        for (JsonNode row : response.data().path(field)) {
            ids.add(row.path("id").asLong());
        }
        return ids;
    }

    private static Map<String, Object> point(double x, double y) {
        return Map.of("type", "Point", "coordinates", List.of(x, y));
    }

    private static Map<String, Object> line(double x1, double y1, double x2, double y2) {
        return Map.of("type", "LineString", "coordinates", List.of(List.of(x1, y1), List.of(x2, y2)));
    }

    private static Map<String, Object> polygon(double x1, double y1, double x2, double y2) {
        return Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(x1, y1), List.of(x1, y2), List.of(x2, y2), List.of(x2, y1), List.of(x1, y1))));
    }

    private static List<Long> sql(String query) {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(served.database().jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query + " failed", e);
        }
        return ids;
    }

    private static <T> T sql(String query, Class<T> type) {
        try (Connection connection = DriverManager.getConnection(served.database().jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getObject(1, type);
        } catch (SQLException e) {
            throw new IllegalStateException(query + " failed", e);
        }
    }
}
