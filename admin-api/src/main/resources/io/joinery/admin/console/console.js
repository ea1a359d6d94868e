'use strict';
// The console's page (ConsoleService). Note [Console secret]: the admin secret lives in its input
// field only and leaves the page only as the X-Joinery-Admin-Secret header of its own fetches.
(function () {
  const secretField = document.getElementById('admin-secret');
  const roleField = document.getElementById('role');

  function sessionHeaders() {
    const headers = {};
    if (secretField.value) headers['X-Joinery-Admin-Secret'] = secretField.value;
    if (roleField.value.trim()) headers['X-Joinery-Role'] = roleField.value.trim();
    return headers;
  }

  function graphqlFetcher() {
    return async function fetcher(params) {
      const response = await fetch('/console/v1/graphql', {
        method: 'POST',
        credentials: 'omit',
        cache: 'no-store',
        headers: Object.assign({ 'Content-Type': 'application/json', 'Accept': 'application/json' }, sessionHeaders()),
        body: JSON.stringify(params),
      });
      return response.json();
    };
  }

  const graphiqlRoot = ReactDOM.createRoot(document.getElementById('graphiql'));
  function renderGraphiql() {
    // A new fetcher makes GraphiQL fetch the schema again, as the new secret or role sees it.
    graphiqlRoot.render(React.createElement(GraphiQL, {
      fetcher: graphqlFetcher(),
      isHeadersEditorEnabled: false,
      shouldPersistHeaders: false,
      defaultQuery: '# Type the admin secret (and a role) above, then a query here.\n{\n  __typename\n}\n',
    }));
  }

  // Swagger UI gets the document from this page's fetch (with the secret), its servers replaced by
  // this listener's origin, so that "Try it out" and its curl line name the listener the page came
  // from; the curl line shows the request before the headers are added (showMutatedRequest: false),
  // so the secret is not written into the page.
  async function showApi() {
    const target = document.getElementById('api');
    const response = await fetch('/admin/v1/openapi', { credentials: 'omit', cache: 'no-store', headers: sessionHeaders() });
    const document_ = await response.json();
    if (!response.ok) {
      target.textContent = 'GET /admin/v1/openapi: ' + response.status + ' ' + (document_.message || '');
      return;
    }
    document_.servers = [{ url: location.origin }];
    target.textContent = '';
    SwaggerUIBundle({
      spec: document_,
      domNode: target,
      showMutatedRequest: false,
      requestInterceptor: function (request) {
        // The secret goes to the origin it was typed into, and to no other.
        const url = new URL(request.url, location.href);
        request.url = location.origin + url.pathname + url.search;
        Object.assign(request.headers, sessionHeaders());
        request.credentials = 'omit';
        return request;
      },
    });
  }

  // GraphQL Voyager draws the joined graph from the introspection of the whole graph, as the typed
  // secret and role see it: tables, remote schemas' types and actions' outputs, the relationships
  // between them as edges. The aggregate fields (t_aggregate) are left out of the drawing: each adds
  // five types per table that say nothing of how the graph is joined. Voyager lays the graph out with
  // Graphviz compiled to WebAssembly, in a worker made from a blob: hence 'wasm-unsafe-eval' and
  // worker-src blob: in the page's Content-Security-Policy (ConsoleService).
  let voyagerShown = false;
  async function showVoyager() {
    const target = document.getElementById('voyager');
    const response = await fetch('/console/v1/graphql', {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      headers: Object.assign({ 'Content-Type': 'application/json', 'Accept': 'application/json' }, sessionHeaders()),
      body: JSON.stringify({ query: GraphQLVoyager.voyagerIntrospectionQuery }),
    });
    const introspection = await response.json();
    if (!response.ok || !introspection.data) {
      target.textContent = 'introspection: ' + response.status + ' ' + JSON.stringify(introspection.errors || introspection);
      voyagerShown = false;
      return;
    }
    introspection.data.__schema.types.forEach(function (type) {
      if (type.kind === 'OBJECT' && type.fields) {
        type.fields = type.fields.filter(function (field) { return !/_aggregate$/.test(field.name); });
      }
    });
    target.textContent = '';
    GraphQLVoyager.renderVoyager(target, {
      introspection: introspection,
      displayOptions: { skipRelay: false, skipDeprecated: false, showLeafFields: true },
      hideVoyagerLogo: true,
    });
    voyagerShown = true;
  }

  function select(tab) {
    document.querySelectorAll('nav button').forEach(function (button) {
      const selected = button.dataset.tab === tab;
      button.setAttribute('aria-selected', String(selected));
      document.getElementById(button.dataset.tab).hidden = !selected;
    });
    if (tab === 'api') showApi();
    if (tab === 'voyager' && !voyagerShown) showVoyager();
  }

  document.querySelectorAll('nav button').forEach(function (button) {
    button.addEventListener('click', function () { select(button.dataset.tab); });
  });
  function sessionChanged() {
    renderGraphiql();
    voyagerShown = false;
    if (!document.getElementById('voyager').hidden) showVoyager();
  }
  secretField.addEventListener('change', sessionChanged);
  roleField.addEventListener('change', sessionChanged);
  renderGraphiql();
})();
