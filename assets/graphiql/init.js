// GraphiQL for `mentorship-api dev`, with nothing from the network but this server: it
// signs in as the demo council member (a token from the dev issuer), runs queries and
// mutations over POST /graphql and subscriptions over /graphql/ws (graphql-ws), passing the
// Authorization header of the headers editor to both.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var subject = root.getAttribute('data-subject');
  var wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';
  var sockets = {};
  // The demo council token, for requests GraphiQL makes itself (schema introspection does
  // not always carry the headers editor's content): without it they would get 401.
  var signedIn;

  function authorization(headers) {
    if (!headers) return undefined;
    for (var name in headers) {
      if (name.toLowerCase() === 'authorization') return headers[name];
    }
    return undefined;
  }

  function isSubscription(params, doc) {
    if (!doc) return /^\s*subscription\b/.test(params.query);
    return doc.definitions.some(function (d) {
      return d.kind === 'OperationDefinition' && d.operation === 'subscription' &&
        (!params.operationName || (d.name && d.name.value === params.operationName));
    });
  }

  // One socket per Authorization value: the token is checked once, in connection_init.
  function socketFor(auth) {
    var key = auth || '';
    if (!sockets[key]) {
      sockets[key] = graphqlWs.createClient({
        url: wsUrl,
        lazy: true,
        connectionParams: auth ? { Authorization: auth } : {},
      });
    }
    return sockets[key];
  }

  function fetcher(params, opts) {
    var headers = Object.assign({}, (opts && opts.headers) || {});
    if (!authorization(headers) && signedIn) headers.Authorization = 'Bearer ' + signedIn;
    if (isSubscription(params, opts && opts.documentAST)) {
      return socketFor(authorization(headers)).iterate(params);
    }
    var sent = Object.assign(
      { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      headers
    );
    return fetch('/graphql', { method: 'POST', headers: sent, body: JSON.stringify(params) })
      .then(function (response) { return response.json(); });
  }

  function render(token) {
    signedIn = token;
    var headers = token ? JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2) : '{}';
    ReactDOM.createRoot(root).render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        headers: headers,
        defaultEditorToolsVisibility: 'headers',
        defaultQuery: '# Signed in as the demo council member (' + subject + ').\n' +
          '# Other callers: POST /dev/oidc/token, or the tokens dev printed.\n' +
          '{\n  me { id displayName roles }\n}\n',
      })
    );
  }

  fetch('/dev/oidc/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'council', subject: subject }),
  })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (body) { render(body.access_token); }, function () { render(null); });
})();
