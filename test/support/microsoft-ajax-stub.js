// Stand-in for https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js in browser tests (the CDN is
// not reachable from the test machine and the file is in no npm package). It provides exactly what
// the Outlook host scripts of @microsoft/office-js check in `isMsAjaxLoaded()` and call
// afterwards (Sys.StringBuilder, Type.registerNamespace/registerClass, Function._validateParams,
// Sys.Serialization.JavaScriptSerializer, Sys.Browser, the Error.* factories), with the
// behaviour of the real library for well-formed input. It does not emulate an Outlook host.
(function () {
  var w = window;
  if (typeof w.Sys !== "undefined") return;
  w.Type = Function;
  Function.registerNamespace = function (name) {
    var node = w;
    name.split(".").forEach(function (part) {
      node[part] = node[part] || {};
      node = node[part];
    });
    return node;
  };
  Function.prototype.registerClass = function () {
    return this;
  };
  Function.prototype.registerEnum = function () {
    return this;
  };
  Function.prototype.registerInterface = function () {
    return this;
  };
  Function.prototype.initializeBase = function (instance, args) {
    var base = this.__baseType;
    if (base) base.apply(instance, args || []);
    return instance;
  };
  Function.prototype.callBaseMethod = function (instance, name, args) {
    var base = this.__baseType;
    return base && base.prototype[name] ? base.prototype[name].apply(instance, args || []) : undefined;
  };
  Function.createDelegate = function (instance, method) {
    return function () {
      return method.apply(instance, arguments);
    };
  };
  Function.createCallback = function (method, context) {
    return function () {
      var args = Array.prototype.slice.call(arguments);
      args.push(context);
      return method.apply(this, args);
    };
  };
  Function._validateParams = function () {
    return null;
  };
  function error(name) {
    return function (paramName, message) {
      var e = new Error(message || name);
      e.name = name;
      e.paramName = paramName;
      return e;
    };
  }
  Error.argument = error("Sys.ArgumentException");
  Error.argumentNull = error("Sys.ArgumentNullException");
  Error.argumentOutOfRange = error("Sys.ArgumentOutOfRangeException");
  Error.argumentType = error("Sys.ArgumentTypeException");
  Error.parameterCount = error("Sys.ParameterCountException");
  Error.invalidOperation = error("Sys.InvalidOperationException");
  Error.notImplemented = error("Sys.NotImplementedException");
  Error.create = function (message) {
    return new Error(message);
  };
  function StringBuilder(initial) {
    this._parts = initial ? [initial] : [];
  }
  StringBuilder.prototype.append = function (text) {
    this._parts.push(text);
  };
  StringBuilder.prototype.appendLine = function (text) {
    this._parts.push((text || "") + "\r\n");
  };
  StringBuilder.prototype.clear = function () {
    this._parts = [];
  };
  StringBuilder.prototype.isEmpty = function () {
    return this._parts.length === 0;
  };
  StringBuilder.prototype.toString = function (separator) {
    return this._parts.join(separator || "");
  };
  w.Sys = {
    StringBuilder: StringBuilder,
    Browser: { agent: {}, InternetExplorer: {}, Firefox: {}, Safari: {}, Opera: {}, version: 0 },
    Serialization: {
      JavaScriptSerializer: {
        serialize: function (value) {
          return JSON.stringify(value);
        },
        deserialize: function (text) {
          return JSON.parse(text);
        },
      },
    },
    Debug: { trace: function () {}, assert: function () {}, fail: function () {} },
  };
})();
